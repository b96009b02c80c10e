import { fork, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../logging/logger';
import type { BrokerConfig } from '../broker/brokerConfig';
import type { Controller } from '../controller/controller';
import { isControllerOperation } from '../controller/controllerClient';
import { BROKER_CONFIG_ENV, encodeBrokerConfig, type BrokerToHost, type HostToBroker } from './ipcMessages';

export type BrokerProcessState = 'starting' | 'running' | 'stopping' | 'stopped' | 'killed' | 'crashed';

/** How to start a broker process: the same program (and loader flags) as this one. */
export interface BrokerLauncher {
  execPath: string;
  execArgv: string[];
  script: string;
  args: string[];
}

export function currentProgramLauncher(): BrokerLauncher {
  return { execPath: process.execPath, execArgv: process.execArgv, script: process.argv[1] ?? '', args: ['internal-broker'] };
}

/**
 * The cluster host's handle on one broker process: starts it, answers its controller calls,
 * streams it metadata, and stops it cleanly (SIGTERM, controlled shutdown) or kills it
 * (SIGKILL, a real crash: the next start recovers from its data directory).
 */
export class BrokerProcess {
  private child: ChildProcess | undefined;
  private unsubscribe: (() => void) | undefined;
  private readyWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private exitWaiters: (() => void)[] = [];
  state: BrokerProcessState = 'stopped';
  port: number;

  constructor(
    readonly config: BrokerConfig,
    private readonly controller: Controller,
    private readonly launcher: BrokerLauncher,
    private readonly log: Logger,
    private readonly onStateChange: (broker: BrokerProcess, previous: BrokerProcessState) => void,
  ) {
    this.port = config.port;
  }

  get brokerId(): number {
    return this.config.brokerId;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private setState(state: BrokerProcessState): void {
    const previous = this.state;
    this.state = state;
    if (previous !== state) this.onStateChange(this, previous);
  }

  /** Starts the process; resolves once it serves clients and is registered. */
  start(): Promise<void> {
    if (this.child !== undefined) return Promise.resolve();
    const child = fork(this.launcher.script, this.launcher.args, {
      execPath: this.launcher.execPath,
      execArgv: this.launcher.execArgv,
      // A restart listens where the broker listened before (its first start may have picked
      // a free port): clients keep bootstrap lists, as they do for a Kafka broker's listener.
      env: { ...process.env, [BROKER_CONFIG_ENV]: encodeBrokerConfig({ ...this.config, port: this.port }) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.child = child;
    this.setState('starting');
    child.on('message', (message: BrokerToHost) => this.receive(message));
    child.on('exit', (code, signal) => this.exited(code, signal));
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  private send(message: HostToBroker): void {
    if (this.child?.connected) this.child.send(message);
  }

  private receive(message: BrokerToHost): void {
    switch (message.kind) {
      case 'register': {
        this.unsubscribe?.();
        this.unsubscribe = this.controller.subscribe((entries) => this.send({ kind: 'metadata', entries }));
        const backlog = this.controller.readFrom(message.fromOffset);
        if (backlog.length > 0) this.send({ kind: 'metadata', entries: backlog });
        this.controller.registerBroker(message.registration);
        this.send({ kind: 'registered' });
        return;
      }
      case 'call': {
        if (!isControllerOperation(message.method)) {
          this.send({ kind: 'result', id: message.id, ok: false, message: `unknown controller operation ${message.method}` });
          return;
        }
        try {
          const operation = this.controller[message.method] as (...args: unknown[]) => unknown;
          this.send({ kind: 'result', id: message.id, ok: true, value: operation.apply(this.controller, message.args) });
        } catch (error) {
          this.log.error(`controller operation ${message.method} failed`, error);
          this.send({ kind: 'result', id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) });
        }
        return;
      }
      case 'unregister':
        this.controller.fenceBroker(message.brokerId);
        this.send({ kind: 'unregistered' });
        return;
      case 'ready':
        this.port = message.port;
        this.setState('running');
        for (const waiter of this.readyWaiters.splice(0)) waiter.resolve();
        return;
      default: {
        const unknown: never = message;
        this.log.warn(`unknown message from broker ${this.brokerId}: ${JSON.stringify(unknown)}`);
      }
    }
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.child = undefined;
    // Whatever the cause, a dead broker is fenced: its leaderships move to other ISR members.
    this.controller.fenceBroker(this.brokerId);
    const expected = this.state === 'stopping' || this.state === 'killed';
    if (!expected) this.log.warn(`broker ${this.brokerId} exited unexpectedly (code ${code}, signal ${signal})`);
    this.setState(this.state === 'stopping' ? 'stopped' : this.state === 'killed' ? 'killed' : 'crashed');
    for (const waiter of this.readyWaiters.splice(0)) waiter.reject(new Error(`broker ${this.brokerId} exited before it was ready (code ${code}, signal ${signal})`));
    for (const waiter of this.exitWaiters.splice(0)) waiter();
  }

  private waitForExit(): Promise<void> {
    if (this.child === undefined) return Promise.resolve();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** Controlled shutdown; resolves when the process has exited. */
  async stop(): Promise<void> {
    if (this.child === undefined) return;
    this.setState('stopping');
    this.send({ kind: 'shutdown' });
    const exited = this.waitForExit();
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  /** SIGKILL: no shutdown work at all, exactly like a crash. */
  async kill(): Promise<void> {
    if (this.child === undefined) return;
    this.setState('killed');
    const exited = this.waitForExit();
    this.child.kill('SIGKILL');
    await exited;
  }
}
