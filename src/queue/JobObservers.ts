import type { Logger } from '../logging/logger.js';
import type { JobStatus } from './JobStatus.js';

export type JobListener = (status: JobStatus) => void;

interface Observer {
  listener: JobListener;
  minIntervalMs: number;
  lastSentAt: number;
  /** The status waiting for the throttle interval to pass. */
  pending: JobStatus | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Listeners per job. Queue position updates reach each listener at most once per its
 * `minIntervalMs` (the newest status wins, sent when the interval has passed), so an adapter can
 * edit its anchor message without hitting the platform's rate limit. Changes of state (started,
 * finished, cancelled) are sent at once, and final states remove the listeners.
 */
export class JobObservers {
  readonly #byJob = new Map<string, Set<Observer>>();

  constructor(private readonly logger: Logger) {}

  add(jobId: string, listener: JobListener, minIntervalMs: number): () => void {
    const observer: Observer = {
      listener,
      minIntervalMs,
      lastSentAt: 0,
      pending: undefined,
      timer: undefined,
    };
    const set = this.#byJob.get(jobId) ?? new Set<Observer>();
    set.add(observer);
    this.#byJob.set(jobId, set);

    return () => {
      clearTimeout(observer.timer);
      set.delete(observer);
      if (set.size === 0) this.#byJob.delete(jobId);
    };
  }

  has(jobId: string): boolean {
    return this.#byJob.has(jobId);
  }

  /** Sends a status; `urgent` skips the throttle (state changes). */
  notify(status: JobStatus, urgent: boolean): void {
    const observers = this.#byJob.get(status.job.id);
    if (observers === undefined) return;

    for (const observer of observers) {
      const waitMs = observer.lastSentAt + observer.minIntervalMs - Date.now();
      if (urgent || waitMs <= 0) {
        clearTimeout(observer.timer);
        observer.timer = undefined;
        observer.pending = undefined;
        this.#send(observer, status);
        continue;
      }

      observer.pending = status;
      observer.timer ??= setTimeout(() => {
        observer.timer = undefined;
        const pending = observer.pending;
        observer.pending = undefined;
        if (pending !== undefined) this.#send(observer, pending);
      }, waitMs).unref();
    }

    if (status.state !== 'queued' && status.state !== 'running') this.#byJob.delete(status.job.id);
  }

  #send(observer: Observer, status: JobStatus): void {
    observer.lastSentAt = Date.now();
    try {
      observer.listener(status);
    } catch (error) {
      // A failing listener must not stop the queue or the other listeners.
      this.logger.error({ err: error, job: status.job.id }, 'Job status listener threw');
    }
  }
}
