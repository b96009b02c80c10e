import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { nodeProgramLauncher, type NodeProgramLauncher } from '../runtime/nodeProgram';
import { JournalTail, type JournalEntry } from './journal';
import { LAB_CONSUMER_CONFIG_ENV, type ConsumerWorkerConfig, type ParentToWorker, type WorkerToParent } from './consumerWorker';

/**
 * The parent side of the lab's consumer: starts consumer processes one after another (a
 * replacement joins the group after a kill, as an orchestrator would restart a crashed
 * service), kills them for real, and follows their journals to count progress.
 */
/** How to start a consumer process: the lab consumer bundle, or this program's hidden command. */
export type ConsumerLauncher = NodeProgramLauncher;

export const INTERNAL_CONSUMER_COMMAND = 'internal-lab-consumer';

/**
 * The small dist/node/labConsumer.js bundle (as Node, also from Electron: see
 * nodeProgramLauncher), or `internal-lab-consumer` of this program when run from sources.
 */
export function labConsumerLauncher(): ConsumerLauncher {
  return nodeProgramLauncher('labConsumer.js', INTERNAL_CONSUMER_COMMAND);
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
/** A consumer that dies on its own is replaced, but not forever. */
const MAX_REPLACEMENTS = 3;

interface Instance {
  number: number;
  child: ChildProcess;
  tail: JournalTail;
  exited: Promise<void>;
  /** Set before we kill or stop it, so its exit is not mistaken for a crash. */
  expectedExit: boolean;
}

export class ConsumerDriver {
  private readonly instances: Instance[] = [];
  private readonly entries: JournalEntry[] = [];
  private readonly processedIds = new Set<number>();
  private readonly committedIds = new Set<number>();
  private holdingResolve: (() => void) | undefined;
  private replacements = 0;
  private closed = false;
  readonly holding: Promise<void>;
  /** When the journals last grew: the drain phase waits for this to go quiet. */
  lastProgressAt = Date.now();

  constructor(
    private readonly base: Omit<ConsumerWorkerConfig, 'journalPath' | 'instance' | 'holdAfter'>,
    private readonly journalDir: string,
    private readonly launcher: ConsumerLauncher,
    private readonly log: (message: string) => void,
  ) {
    this.holding = new Promise((resolve) => (this.holdingResolve = resolve));
  }

  /** Starts the next instance and waits until it has joined the group. */
  async start(holdAfter: number | null = null): Promise<void> {
    const number = this.instances.length;
    const journalPath = path.join(this.journalDir, `consumer-${number}.jsonl`);
    const config: ConsumerWorkerConfig = { ...this.base, journalPath, instance: number, holdAfter };
    const child = fork(this.launcher.script, this.launcher.args, {
      execPath: this.launcher.execPath,
      execArgv: this.launcher.execArgv,
      env: { ...process.env, ...this.launcher.env, [LAB_CONSUMER_CONFIG_ENV]: JSON.stringify(config) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const instance: Instance = { number, child, tail: new JournalTail(journalPath), exited, expectedExit: false };
    this.instances.push(instance);
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumer ${number} did not join group ${this.base.groupId} within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      child.on('message', (message: WorkerToParent) => {
        if (message.kind === 'ready') {
          clearTimeout(timer);
          resolve();
        } else if (message.kind === 'holding') {
          this.holdingResolve?.();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`consumer ${number} exited (code ${code}, signal ${signal}) before it joined the group`));
      });
    });
    void exited.then(() => this.exitedOnItsOwn(instance));
    await ready;
  }

  private exitedOnItsOwn(instance: Instance): void {
    if (instance.expectedExit || this.closed || this.instances.at(-1) !== instance) return;
    if (this.replacements >= MAX_REPLACEMENTS) {
      this.log(`consumer ${instance.number} exited unexpectedly and ${MAX_REPLACEMENTS} replacements were used up`);
      return;
    }
    this.replacements += 1;
    this.log(`consumer ${instance.number} exited unexpectedly; starting a replacement`);
    this.start().catch((error: unknown) => this.log(error instanceof Error ? error.message : String(error)));
  }

  /** SIGKILL the current instance: no leave-group, no commit, nothing. */
  async killCurrent(): Promise<number | null> {
    const current = this.instances.at(-1);
    if (current === undefined || current.child.exitCode !== null || current.child.signalCode !== null) return null;
    current.expectedExit = true;
    current.child.kill('SIGKILL');
    await current.exited;
    return current.number;
  }

  /** Reads new journal lines; returns how many records were processed so far (repeats included). */
  poll(): number {
    for (const instance of this.instances) {
      const fresh = instance.tail.read();
      if (fresh.length > 0) this.lastProgressAt = Date.now();
      for (const entry of fresh) {
        this.entries.push(entry);
        if (entry.kind === 'processed') this.processedIds.add(entry.id);
        else for (const id of entry.ids) this.committedIds.add(id);
      }
    }
    return this.processedCount();
  }

  processedCount(): number {
    return this.entries.filter((entry) => entry.kind === 'processed').length;
  }

  /** Whether every id was delivered: processed, or for consume-transform-produce, committed. */
  hasDelivered(ids: Iterable<number>): boolean {
    const delivered = this.base.commit === 'transactional' ? this.committedIds : this.processedIds;
    for (const id of ids) if (!delivered.has(id)) return false;
    return true;
  }

  journal(): readonly JournalEntry[] {
    this.poll();
    return this.entries;
  }

  /** Stops every instance: politely (leave the group), then SIGKILL after a bound. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.instances.map(async (instance) => {
        if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
        instance.expectedExit = true;
        const message: ParentToWorker = { kind: 'stop' };
        if (instance.child.connected) instance.child.send(message);
        const timer = setTimeout(() => instance.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await instance.exited;
        clearTimeout(timer);
      }),
    );
    this.poll();
  }
}
