import type { ControllerApi, ControllerClient, ControllerOperation } from '../controller/controllerClient';
import type { BrokerRegistration, MetadataLogEntry } from '../metadata/records';
import type { BrokerToHost, HostToBroker } from './ipcMessages';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** A broker process's controller, reached over the IPC channel to the cluster host. */
export class IpcControllerClient implements ControllerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private onMetadata: ((entries: MetadataLogEntry[]) => void) | undefined;
  private registered: (() => void) | undefined;
  private unregistered: (() => void) | undefined;

  constructor(private readonly send: (message: BrokerToHost) => void) {}

  /** Feed every message from the host here. */
  receive(message: HostToBroker): void {
    switch (message.kind) {
      case 'metadata':
        this.onMetadata?.(message.entries);
        return;
      case 'registered':
        this.registered?.();
        return;
      case 'unregistered':
        this.unregistered?.();
        return;
      case 'result': {
        const pending = this.pending.get(message.id);
        if (pending === undefined) return;
        this.pending.delete(message.id);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(new Error(message.message));
        return;
      }
      case 'shutdown':
      case 'fault':
        return;
      default: {
        const unknown: never = message;
        throw new Error(`unknown message from the cluster host: ${JSON.stringify(unknown)}`);
      }
    }
  }

  register(registration: BrokerRegistration, fromOffset: number, onMetadata: (entries: MetadataLogEntry[]) => void): Promise<void> {
    this.onMetadata = onMetadata;
    return new Promise((resolve) => {
      this.registered = resolve;
      this.send({ kind: 'register', registration, fromOffset });
    });
  }

  call<M extends ControllerOperation>(method: M, ...args: Parameters<ControllerApi[M]>): Promise<ReturnType<ControllerApi[M]>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.send({ kind: 'call', id, method, args });
    });
  }

  unregister(brokerId: number): Promise<void> {
    return new Promise((resolve) => {
      this.unregistered = resolve;
      this.send({ kind: 'unregister', brokerId });
    });
  }

  /** The host went away: fail whatever is waiting so nothing hangs. */
  disconnect(): void {
    for (const pending of this.pending.values()) pending.reject(new Error('the cluster host is gone'));
    this.pending.clear();
  }
}
