import type { Logger } from '../logging/logger.js';
import { type IrisMetrics, noopMetrics } from '../metrics/IrisMetrics.js';
import { DurationEstimate } from './DurationEstimate.js';
import type { JobProgress, PlatformHandlers } from './handlers.js';
import { type JobListener, JobObservers } from './JobObservers.js';
import type { JobStatus } from './JobStatus.js';
import type { JobStore } from './JobStore.js';
import {
  type Backend,
  backendFor,
  guildKey,
  type Job,
  type JobCommand,
  type JobPlatform,
  userKey,
} from './job.js';
import { RoundRobinLane } from './RoundRobinLane.js';

export interface JobQueueOptions {
  store: JobStore;
  logger: Logger;
  /** Jobs that may run at once per backend (defaults from `OLLAMA_CONCURRENCY` and `HF_CONCURRENCY`). */
  concurrency: Record<Backend, number>;
  /** Guessed run time per command, in milliseconds, for wait estimates until real runs are measured. */
  initialDurationMs?: Partial<Record<JobCommand, number>>;
  /** Receives queue lengths, queue waits and ended jobs; nothing is recorded without it. */
  metrics?: IrisMetrics;
}

export type CancelResult =
  | { ok: true; wasRunning: boolean }
  | { ok: false; reason: 'not-found' | 'not-requester' };

export interface RestoreReport {
  requeued: Job[];
  interrupted: Job[];
  /** Jobs of a platform with no registered handlers; they stay in the store for a later restore. */
  kept: Job[];
}

interface RunningJob {
  job: Job;
  controller: AbortController;
  progress: JobProgress | undefined;
  cancelled: boolean;
}

// Wait estimates before any job has finished, in milliseconds (an estimate, not a measurement).
const DEFAULT_DURATION_MS: Record<JobCommand, number> = { describe: 20_000, imagine: 30_000 };

/**
 * The durable, fair job queue. Each backend runs at most its concurrency limit of jobs at once; waiting
 * jobs start guild by guild in turn, and a user never has two jobs running. Every queued or running
 * job is kept in the {@link JobStore}. After a restart {@link JobQueue.restore} hands each one to its
 * platform's resume handler.
 *
 * Adapters: {@link JobQueue.register} handlers for your platform at start-up, then `restore()` once.
 * Jobs enter through `Admission.admit`, which checks limits and calls {@link JobQueue.enqueue}; show
 * the position with {@link JobQueue.observe} and offer {@link JobQueue.cancel} to the requester.
 */
export class JobQueue {
  readonly #store: JobStore;
  readonly #logger: Logger;
  readonly #metrics: IrisMetrics;
  readonly #concurrency: Record<Backend, number>;
  readonly #durations: DurationEstimate;
  readonly #lanes: Record<Backend, RoundRobinLane> = {
    ollama: new RoundRobinLane(),
    huggingface: new RoundRobinLane(),
  };
  readonly #running = new Map<string, RunningJob>();
  readonly #runningUsers = new Set<string>();
  readonly #handlers = new Map<JobPlatform, PlatformHandlers>();
  readonly #observers: JobObservers;
  readonly #settled = new Set<() => void>();
  readonly #quiet = new Set<() => void>();
  #closed = false;
  // Ended jobs whose store record is still being deleted; idle() waits for them too.
  #ending = 0;

  constructor(options: JobQueueOptions) {
    this.#metrics = options.metrics ?? noopMetrics;
    this.#store = options.store;
    this.#logger = options.logger;
    this.#concurrency = options.concurrency;
    this.#durations = new DurationEstimate({ ...DEFAULT_DURATION_MS, ...options.initialDurationMs });
    this.#observers = new JobObservers(options.logger);
  }

  /** Registers the run and resume handlers of a platform. Call before `restore()` and before any job of it is admitted. */
  register(platform: JobPlatform, handlers: PlatformHandlers): void {
    this.#handlers.set(platform, handlers);
  }

  /**
   * Stores a job and queues it; it starts when its turn comes. Checks no limits: go through
   * `Admission.admit`, which does. Throws `STORE_UNAVAILABLE` (the job is then not queued) or an
   * Error when the platform has no handlers registered.
   */
  async enqueue(job: Job): Promise<Extract<JobStatus, { state: 'queued' | 'running' }>> {
    if (!this.#handlers.has(job.platform)) {
      throw new Error(`No job handlers are registered for platform ${job.platform}; call register() first.`);
    }
    const queued: Job = { ...job, state: 'queued' };
    delete queued.startedAt;
    await this.#store.save(queued);

    this.#lanes[backendFor(job.command)].push(queued);
    this.#logger.info(jobFields(queued), 'Job queued');
    const status = this.status(queued.id);
    this.#schedule();
    // A free slot starts the job at once, so read the status again after scheduling.
    return (this.status(queued.id) ?? status) as Extract<JobStatus, { state: 'queued' | 'running' }>;
  }

  /**
   * Cancels a job for its requester. A queued job leaves the queue and the store at once. A running
   * job's signal fires, and the job leaves when its handler returns. Only the job's requester
   * (`userId`) may cancel.
   */
  async cancel(jobId: string, userId: string): Promise<CancelResult> {
    const running = this.#running.get(jobId);
    if (running !== undefined) {
      if (running.job.userId !== userId) return { ok: false, reason: 'not-requester' };
      running.cancelled = true;
      running.controller.abort(new DOMException('The requester cancelled the job.', 'AbortError'));
      this.#logger.info(jobFields(running.job), 'Running job cancelled by the requester');
      return { ok: true, wasRunning: true };
    }

    for (const lane of Object.values(this.#lanes)) {
      const job = lane.find(jobId);
      if (job === undefined) continue;
      if (job.userId !== userId) return { ok: false, reason: 'not-requester' };

      lane.remove(jobId);
      this.#logger.info(jobFields(job), 'Queued job cancelled by the requester');
      this.#observers.notify({ state: 'cancelled', job }, true);
      this.#notifyLane(backendFor(job.command));
      await this.#removeFromStore(job);
      this.#checkSettled();
      return { ok: true, wasRunning: false };
    }
    return { ok: false, reason: 'not-found' };
  }

  /** Returns the job's current status, or undefined when it is neither queued nor running. */
  status(jobId: string): JobStatus | undefined {
    const running = this.#running.get(jobId);
    if (running !== undefined) {
      return {
        state: 'running',
        job: running.job,
        startedAt: running.job.startedAt ?? Date.now(),
        progress: running.progress,
      };
    }

    for (const [backend, lane] of Object.entries(this.#lanes) as [Backend, RoundRobinLane][]) {
      const job = lane.find(jobId);
      const position = lane.position(jobId);
      if (job === undefined || position === undefined) continue;
      return {
        state: 'queued',
        job,
        position,
        estimatedWaitMs: this.#estimateWaitMs(backend, job.command, position),
      };
    }
    return undefined;
  }

  /**
   * Calls `listener` as the job moves: queue positions at most once per `minIntervalMs`
   * (milliseconds), state changes at once, and a final state (`finished`, `failed`, `cancelled`,
   * `interrupted`) last. Returns a function that stops the calls.
   */
  observe(jobId: string, listener: JobListener, minIntervalMs = 3_000): () => void {
    return this.#observers.add(jobId, listener, minIntervalMs);
  }

  /** Counts for admission checks. */
  counts(scope: { platform: JobPlatform; guildId: string; userId: string }): {
    guildQueued: number;
    userQueued: number;
    userRunning: number;
  } {
    const guild = guildKey(scope);
    const user = userKey(scope);
    let guildQueued = 0;
    let userQueued = 0;
    for (const lane of Object.values(this.#lanes)) {
      for (const job of lane.jobs()) {
        if (guildKey(job) === guild) guildQueued++;
        if (userKey(job) === user) userQueued++;
      }
    }
    return { guildQueued, userQueued, userRunning: this.#runningUsers.has(user) ? 1 : 0 };
  }

  /**
   * Estimates when the guild's next queued job starts, in milliseconds from now, which is when a place
   * in a full guild queue frees up. Returns undefined when the guild has nothing queued.
   */
  guildNextStartMs(scope: { platform: JobPlatform; guildId: string }): number | undefined {
    const guild = guildKey(scope);
    let soonest: number | undefined;
    for (const lane of Object.values(this.#lanes)) {
      for (const job of lane.jobs()) {
        if (guildKey(job) !== guild) continue;
        const status = this.status(job.id);
        if (status?.state !== 'queued') continue;
        soonest = Math.min(soonest ?? Number.POSITIVE_INFINITY, status.estimatedWaitMs);
      }
    }
    return soonest;
  }

  /**
   * Reloads the jobs of this process from the store after a restart and passes each to its platform's
   * resume handler, oldest first: `'requeue'` puts it back in the queue, `'interrupted'` deletes it.
   * Jobs of an unregistered platform stay in the store and are logged. Throws `STORE_UNAVAILABLE`.
   */
  async restore(): Promise<RestoreReport> {
    const report: RestoreReport = { requeued: [], interrupted: [], kept: [] };
    const live = new Set([
      ...this.#running.keys(),
      ...Object.values(this.#lanes).flatMap((lane) => lane.jobs().map((job) => job.id)),
    ]);

    for (const job of await this.#store.loadAll()) {
      if (live.has(job.id)) continue;
      const handlers = this.#handlers.get(job.platform);
      if (handlers === undefined) {
        this.#logger.warn(jobFields(job), 'Stored job has no handlers for its platform; kept in the store');
        report.kept.push(job);
        continue;
      }

      const wasRunning = job.state === 'running';
      let decision: 'requeue' | 'interrupted';
      try {
        decision = await handlers.resume(job, { wasRunning });
      } catch (error) {
        this.#logger.error(
          { ...jobFields(job), err: error },
          'Resume handler failed; treating the job as interrupted',
        );
        decision = 'interrupted';
      }

      if (decision === 'requeue') {
        const queued: Job = { ...job, state: 'queued' };
        delete queued.startedAt;
        await this.#store.save(queued);
        this.#lanes[backendFor(job.command)].push(queued);
        report.requeued.push(queued);
        this.#logger.info({ ...jobFields(job), wasRunning }, 'Job resumed after restart');
      } else {
        await this.#removeFromStore(job);
        report.interrupted.push(job);
        this.#observers.notify({ state: 'interrupted', job }, true);
        this.#logger.info({ ...jobFields(job), wasRunning }, 'Job marked interrupted after restart');
      }
    }

    this.#schedule();
    return report;
  }

  /** Resolves when nothing is queued or running and every ended job is deleted from the store. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#settled.add(resolve));
  }

  /**
   * Resolves when no job is running and every ended job is deleted from the store. Queued jobs may
   * remain, so after {@link JobQueue.close} this tells when the store can be closed.
   */
  quiet(): Promise<void> {
    if (this.#running.size === 0 && this.#ending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#quiet.add(resolve));
  }

  /**
   * Stops starting jobs. Running handlers are left to finish; queued and running jobs stay in the
   * store, so the next start's `restore()` hands them to the resume handler.
   */
  close(): void {
    this.#closed = true;
  }

  #schedule(): void {
    if (this.#closed) return;
    for (const backend of Object.keys(this.#lanes) as Backend[]) {
      const lane = this.#lanes[backend];
      let started = false;
      while (this.#runningOn(backend) < this.#concurrency[backend]) {
        const job = lane.take((candidate) => !this.#runningUsers.has(userKey(candidate)));
        if (job === undefined) break;
        this.#start(job);
        started = true;
      }
      if (started) this.#notifyLane(backend);
    }
    this.#reportQueueLengths();
  }

  #start(queued: Job): void {
    const job: Job = { ...queued, state: 'running', startedAt: Date.now() };
    const entry: RunningJob = {
      job,
      controller: new AbortController(),
      progress: undefined,
      cancelled: false,
    };
    this.#running.set(job.id, entry);
    this.#runningUsers.add(userKey(job));
    this.#logger.info(jobFields(job), 'Job started');
    this.#metrics.queueWait({
      backend: backendFor(job.command),
      command: job.command,
      waitMs: Math.max(0, (job.startedAt ?? 0) - job.createdAt),
    });
    this.#observers.notify(
      { state: 'running', job, startedAt: job.startedAt ?? 0, progress: undefined },
      true,
    );

    this.#store.save(job).catch((error: unknown) => {
      this.#logger.error(
        { ...jobFields(job), err: error },
        'Could not record the job as running; it still runs',
      );
    });

    const progress = (update: JobProgress) => {
      entry.progress = update;
      this.#observers.notify(
        { state: 'running', job, startedAt: job.startedAt ?? 0, progress: update },
        false,
      );
    };
    const handlers = this.#handlers.get(job.platform);
    const run =
      handlers === undefined
        ? Promise.reject(new Error(`No handlers for ${job.platform}`))
        : Promise.resolve().then(() => handlers.run(job, entry.controller.signal, progress));

    type EndState = 'finished' | 'failed' | 'cancelled';
    run
      .then(
        (): EndState => (entry.cancelled ? 'cancelled' : 'finished'),
        (error: unknown): EndState => {
          if (entry.cancelled) return 'cancelled';
          this.#logger.error({ ...jobFields(job), err: error }, 'Job handler failed');
          return 'failed';
        },
      )
      .then(async (state) => {
        this.#ending++;
        this.#durations.record(job.command, Date.now() - (job.startedAt ?? Date.now()));
        this.#running.delete(job.id);
        this.#runningUsers.delete(userKey(job));
        this.#logger.info(
          { ...jobFields(job), state, durationMs: Date.now() - (job.startedAt ?? 0) },
          'Job ended',
        );
        this.#metrics.jobFinished({
          platform: job.platform,
          command: job.command,
          // `finished` means the handler returned: with a result or with an error it already reported.
          outcome: state,
          durationMs: Date.now() - job.createdAt,
        });
        this.#observers.notify({ state, job }, true);
        this.#schedule();
        await this.#removeFromStore(job);
        this.#ending--;
        this.#checkSettled();
      });
  }

  #runningOn(backend: Backend): number {
    let count = 0;
    for (const { job } of this.#running.values()) if (backendFor(job.command) === backend) count++;
    return count;
  }

  #estimateWaitMs(backend: Backend, command: JobCommand, position: number): number {
    const free = this.#concurrency[backend] - this.#runningOn(backend);
    if (position <= free) return 0;
    // Each wave of `concurrency` jobs ahead takes about one average run.
    const waves = Math.ceil((position - Math.max(free, 0)) / this.#concurrency[backend]);
    return Math.round(waves * this.#durations.averageMs(command));
  }

  #reportQueueLengths(): void {
    for (const backend of Object.keys(this.#lanes) as Backend[]) {
      this.#metrics.queueLength(backend, this.#lanes[backend].size);
    }
  }

  #notifyLane(backend: Backend): void {
    this.#metrics.queueLength(backend, this.#lanes[backend].size);
    for (const job of this.#lanes[backend].jobs()) {
      if (!this.#observers.has(job.id)) continue;
      const status = this.status(job.id);
      if (status !== undefined) this.#observers.notify(status, false);
    }
  }

  async #removeFromStore(job: Job): Promise<void> {
    try {
      await this.#store.remove(job.id);
    } catch (error) {
      // The next restore() offers the job to the resume handler again, which is safe but noisy.
      this.#logger.error({ ...jobFields(job), err: error }, 'Could not delete the ended job from the store');
    }
  }

  #isIdle(): boolean {
    return (
      this.#running.size === 0 &&
      this.#ending === 0 &&
      Object.values(this.#lanes).every((lane) => lane.size === 0)
    );
  }

  #checkSettled(): void {
    if (this.#running.size === 0 && this.#ending === 0) {
      for (const resolve of this.#quiet) resolve();
      this.#quiet.clear();
    }
    if (!this.#isIdle()) return;
    for (const resolve of this.#settled) resolve();
    this.#settled.clear();
  }
}

function jobFields(job: Job): Record<string, string> {
  return {
    job: job.id,
    command: job.command,
    platform: job.platform,
    guild: job.guildId,
    channel: job.channelId,
    user: job.userId,
  };
}
