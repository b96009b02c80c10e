import { randomBytes } from 'node:crypto';
import { ApiError } from '../api/envelope';
import type { EventBus } from '../api/eventBus';
import type { LabCounts, LabRunState, LabRunStatus, LabStartSettings } from '../api/schemas/lab';
import { labRunCommand } from '../lab/cliCommand';
import type { ConsumerLauncher } from '../lab/consumerDriver';
import { scenarioFromPreset, type ScenarioOverrides } from '../lab/presets';
import type { LabProgressEvent } from '../lab/progress';
import { runScenario } from '../lab/runner';
import { scenarioProblems } from '../lab/scenario';
import type { Logger } from '../logging/logger';
import type { EmbeddedCluster } from './embeddedCluster';

export interface LabRunsOptions {
  readonly embedded: EmbeddedCluster;
  readonly events: EventBus;
  readonly log: Logger;
  /** How consumer processes start; the lab's default (its bundle, as Node also under Electron) otherwise. */
  readonly consumerLauncher?: ConsumerLauncher;
}

interface ActiveRun {
  status: Mutable<LabRunStatus>;
  abort: AbortController;
  finished: Promise<void>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Lab runs on the app's embedded cluster, one at a time: a run makes its own topics, kills
 * and restarts brokers and a consumer process, so two at once would break each other's
 * experiment. The latest run is kept (status and report) so the page finds it after a
 * reload; progress is pushed as `lab.run` events while it goes.
 */
export class LabRuns {
  #latest: ActiveRun | null = null;

  constructor(private readonly options: LabRunsOptions) {}

  /** Whether a run (or the cleanup of a cancelled one) is under way. */
  get busy(): boolean {
    const state = this.#latest?.status.state;
    return state === 'running' || state === 'cancelling';
  }

  /** Refuses what would pull the cluster from under a run (stopping the embedded cluster). */
  assertIdle(action: string): void {
    if (this.busy) throw new ApiError('conflict', `A lab run (${this.#latest!.status.runId}) is using the embedded cluster: cancel it on the Lab page before you ${action}.`);
  }

  async start(settings: LabStartSettings): Promise<LabRunStatus> {
    if (this.busy) {
      const { runId, state } = this.#latest!.status;
      throw new ApiError('conflict', `Lab run ${runId} is ${state === 'cancelling' ? 'still cleaning up after its cancel' : 'still running'}; only one run at a time can use the embedded cluster. Wait for it or cancel it.`);
    }
    const { preset, fault, ...rest } = settings;
    const overrides: ScenarioOverrides = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
    const scenario = scenarioFromPreset(preset, fault, overrides);
    const problems = scenarioProblems(scenario);
    if (problems.length > 0) throw new ApiError('invalid-input', `These lab settings cannot run: ${problems.join('; ')}.`);
    const cluster = this.options.embedded.labCluster();
    const running = (await cluster.brokers()).filter((broker) => broker.state === 'running').length;
    if (running < scenario.workload.replicationFactor) {
      throw new ApiError('invalid-input', `Replication factor ${scenario.workload.replicationFactor} needs that many running brokers; the embedded cluster has ${running} running. Start its brokers on the Brokers page or lower the replication factor.`);
    }
    // Checked again after the awaits: two starts in the same moment must not both pass.
    if (this.busy) throw new ApiError('conflict', 'Another lab run started meanwhile; only one run at a time can use the embedded cluster.');

    const runId = randomBytes(4).toString('hex');
    const abort = new AbortController();
    const status: Mutable<LabRunStatus> = {
      runId,
      state: 'running',
      settings,
      scenario,
      command: labRunCommand(preset, fault, overrides),
      phase: 'preparing',
      startedAt: Date.now(),
      finishedAt: null,
      counts: null,
      timeline: [],
      steps: [],
      report: null,
      error: null,
    };
    const run: ActiveRun = { status, abort, finished: Promise.resolve() };
    this.#latest = run;
    run.finished = runScenario(scenario, {
      cluster,
      runId,
      signal: abort.signal,
      onProgress: (event) => this.#progress(run, event),
      log: (message) => this.options.log.warn(`lab run ${runId}: ${message}`),
      ...(this.options.consumerLauncher === undefined ? {} : { consumerLauncher: this.options.consumerLauncher }),
    }).then(
      (report) => {
        status.report = report;
        this.#finish(run, 'done');
      },
      (error: unknown) => {
        if (abort.signal.aborted) return this.#finish(run, 'cancelled');
        status.error = error instanceof Error ? error.message : String(error);
        this.options.log.error(`lab run ${runId} failed`, error);
        this.#finish(run, 'failed');
      },
    );
    return snapshot(status);
  }

  /** The run with this id, or the latest run (null before the first). */
  status(runId?: string): LabRunStatus | null {
    if (runId === undefined) return this.#latest === null ? null : snapshot(this.#latest.status);
    return snapshot(this.#find(runId).status);
  }

  /** Stops the run; it heals the cluster and deletes its topics before it reports cancelled. */
  cancel(runId: string): LabRunStatus {
    const run = this.#find(runId);
    if (run.status.state === 'running') {
      this.#setState(run, 'cancelling');
      run.abort.abort(new Error('cancelled'));
    }
    return snapshot(run.status);
  }

  /** Cancels a run in progress and waits for its cleanup: the app is closing. */
  async close(): Promise<void> {
    const run = this.#latest;
    if (run === null) return;
    if (run.status.state === 'running') run.abort.abort(new Error('the app is closing'));
    await run.finished;
  }

  #find(runId: string): ActiveRun {
    const run = this.#latest;
    if (run === null || run.status.runId !== runId) throw new ApiError('not-found', `No lab run ${runId}: the app keeps only its latest run${run === null ? '' : ` (${run.status.runId})`}.`);
    return run;
  }

  #progress(run: ActiveRun, event: LabProgressEvent): void {
    const { status } = run;
    switch (event.type) {
      case 'phase':
        status.phase = event.phase;
        break;
      case 'counts': {
        const counts: LabCounts = { acknowledged: event.acknowledged, failed: event.failed, consumed: event.consumed, at: event.at };
        status.counts = counts;
        status.timeline = [...status.timeline, { at: event.at, acknowledged: event.acknowledged, consumed: event.consumed }];
        break;
      }
      case 'fault':
        status.steps = [...status.steps, event.step];
        break;
      case 'cluster':
        // The embedded cluster's own events reach the page as cluster.event already.
        return;
    }
    this.options.events.emit('lab.run', { runId: status.runId, kind: 'progress', event });
  }

  #finish(run: ActiveRun, state: LabRunState): void {
    run.status.finishedAt = Date.now();
    this.#setState(run, state);
  }

  #setState(run: ActiveRun, state: LabRunState): void {
    run.status.state = state;
    this.options.events.emit('lab.run', { runId: run.status.runId, kind: 'state', state });
  }
}

function snapshot(status: LabRunStatus): LabRunStatus {
  return { ...status, timeline: [...status.timeline], steps: [...status.steps] };
}
