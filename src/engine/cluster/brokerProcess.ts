import { fork, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../logging/logger';
import { nodeProgramLauncher, type NodeProgramLauncher } from '../../runtime/nodeProgram';
import type { BrokerConfig } from '../broker/brokerConfig';
import type { Controller } from '../controller/controller';
import type { BrokerRegistration, MetadataLogEntry } from '../metadata/records';
import { isControllerOperation } from '../controller/controllerClient';
import { BROKER_CONFIG_ENV, encodeBrokerConfig, type BrokerToHost, type HostToBroker } from './ipcMessages';

export type BrokerProcessState = 'starting' | 'running' | 'stopping' | 'stopped' | 'killed' | 'crashed';

/** How to start a broker process: the broker bundle, or this program's `internal-broker` command. */
export type BrokerLauncher = NodeProgramLauncher;

/** Brokers run the small engine-only bundle, dist/node/broker.js (see nodeProgramLauncher). */
export function currentProgramLauncher(): BrokerLauncher {
  const launcher = nodeProgramLauncher('broker.js', 'internal-broker');
  return { ...launcher, execArgv: [...launcher.execArgv, ...brokerNodeOptions()] };
}

/**
 * Development only: SAMSA_BROKER_NODE_OPTIONS adds Node flags to broker processes alone
 * (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), so a profile shows a broker, not the host.
 */
export const BROKER_NODE_OPTIONS_ENV = 'SAMSA_BROKER_NODE_OPTIONS';

function brokerNodeOptions(): string[] {
  return (process.env[BROKER_NODE_OPTIONS_ENV] ?? '').split(/\s+/).filter((flag) => flag !== '');
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
  /** Fault state: cut off from the cluster (controller and other brokers), and fetch delay. */
  isolated = false;
  fetchDelayMs = 0;
  private registration: BrokerRegistration | undefined;
  private lastDeliveredOffset = -1;
  private sessionTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly config: BrokerConfig,
    private readonly controller: Controller,
    private readonly launcher: BrokerLauncher,
    private readonly log: Logger,
    private readonly onStateChange: (broker: BrokerProcess, previous: BrokerProcessState) => void,
    /** broker.session.timeout.ms: how long the controller waits for an unreachable broker before fencing it. */
    private readonly sessionTimeoutMs: number,
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
      env: { ...process.env, ...this.launcher.env, [BROKER_CONFIG_ENV]: encodeBrokerConfig({ ...this.config, port: this.port }) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.child = child;
    this.setState('starting');
    child.on('message', (message: BrokerToHost) => this.receive(message));
    child.on('error', (error) => this.log.warn(`broker ${this.brokerId} process: ${error.message}`));
    child.on('exit', (code, signal) => this.exited(code, signal));
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  /**
   * IPC to a broker that may be exiting: a failed send (EPIPE) only means it is gone, which
   * its exit handler deals with, so the error must not reach the host as an exception.
   */
  private send(message: HostToBroker): void {
    if (this.child?.connected) this.child.send(message, (error) => {
      if (error) this.log.debug(`message to broker ${this.brokerId} not delivered: ${error.message}`);
    });
  }

  /** Metadata goes out only while the controller link is up; the gap is replayed on heal. */
  private deliver(entries: readonly MetadataLogEntry[]): void {
    if (this.isolated || entries.length === 0) return;
    const fresh = entries.filter((entry) => entry.offset > this.lastDeliveredOffset);
    if (fresh.length === 0) return;
    this.lastDeliveredOffset = fresh.at(-1)!.offset;
    this.send({ kind: 'metadata', entries: fresh });
  }

  private sendFaults(): void {
    this.send({ kind: 'fault', isolated: this.isolated, fetchDelayMs: this.fetchDelayMs });
  }

  /**
   * Cuts the broker off from the controller and the other brokers (clients can still reach
   * it). Like a KRaft broker whose heartbeats stop arriving, it is fenced once the session
   * times out, and its partitions elect new leaders without it.
   */
  isolate(): void {
    if (this.isolated) return;
    this.isolated = true;
    this.sendFaults();
    clearTimeout(this.sessionTimer);
    this.sessionTimer = setTimeout(() => {
      if (this.isolated) this.controller.fenceBroker(this.brokerId);
    }, this.sessionTimeoutMs);
    this.sessionTimer.unref();
  }

  /** Restores the links: the broker gets the metadata it missed and is unfenced. */
  heal(): void {
    if (!this.isolated) return;
    this.isolated = false;
    clearTimeout(this.sessionTimer);
    this.sendFaults();
    this.deliver(this.controller.readFrom(this.lastDeliveredOffset + 1));
    if (this.registration !== undefined && this.child !== undefined) this.controller.registerBroker(this.registration);
  }

  slow(fetchDelayMs: number): void {
    this.fetchDelayMs = fetchDelayMs;
    this.sendFaults();
  }

  private receive(message: BrokerToHost): void {
    switch (message.kind) {
      case 'register': {
        this.unsubscribe?.();
        this.lastDeliveredOffset = message.fromOffset - 1;
        this.registration = message.registration;
        // Faults first: a broker restarted while isolated or slowed must not fetch even once
        // at full speed before it hears about them (its fetchers start with the metadata).
        if (this.isolated || this.fetchDelayMs > 0) this.sendFaults();
        this.unsubscribe = this.controller.subscribe((entries) => this.deliver(entries));
        this.deliver(this.controller.readFrom(message.fromOffset));
        this.controller.registerBroker(message.registration);
        this.send({ kind: 'registered' });
        return;
      }
      case 'call': {
        if (this.isolated) {
          this.send({ kind: 'result', id: message.id, ok: false, message: 'the controller is unreachable (broker isolated)' });
          return;
        }
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
    clearTimeout(this.sessionTimer);
    this.isolated = false;
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
    // Later than the broker's own 60 s guard (brokerMain): only a broker that hangs is killed.
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 75_000);
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
