/** The outcome of a drain. */
export interface DrainResult {
  /** Jobs that ended on their own within the grace period. */
  finished: number;
  /** Jobs still running when the grace period ran out; their signals were aborted. */
  aborted: number;
}

/**
 * Running jobs, so shutdown can wait for them. Adapters run each job through {@link JobTracker.run};
 * the job's signal aborts when the grace period runs out, and the job then saves or reports what it can.
 */
export class JobTracker {
  private readonly running = new Map<Promise<unknown>, AbortController>();
  private finishedDuringDrain = 0;
  private draining = false;

  /** Jobs running now. */
  get size(): number {
    return this.running.size;
  }

  /** Whether shutdown has begun; adapters should accept no new job once it has. */
  get closed(): boolean {
    return this.draining;
  }

  /**
   * Runs a job and tracks it until it settles. The job receives a signal that aborts when shutdown's
   * grace period runs out. The returned promise settles as the job does.
   */
  run<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    // The job starts synchronously, as a direct call would; a synchronous throw becomes a rejection.
    const promise = (async () => job(controller.signal))();
    this.running.set(promise, controller);
    const forget = () => {
      this.running.delete(promise);
      if (this.draining) this.finishedDuringDrain++;
    };
    promise.then(forget, forget);
    return promise;
  }

  /**
   * Waits for running jobs for up to `graceMs` milliseconds, then aborts the rest and gives them
   * `abortWaitMs` more to save their state. Jobs started during the drain are tracked too.
   */
  async drain(graceMs: number, abortWaitMs = 5_000): Promise<DrainResult> {
    this.draining = true;
    this.finishedDuringDrain = 0;

    if (await this.settleWithin(graceMs)) return { finished: this.finishedDuringDrain, aborted: 0 };

    const finished = this.finishedDuringDrain;
    const aborted = this.running.size;
    for (const controller of this.running.values())
      controller.abort(new Error('shutdown grace period ended'));
    await this.settleWithin(abortWaitMs);
    return { finished, aborted };
  }

  /** Resolves true once no job runs, or false after `timeoutMs` milliseconds. */
  private async settleWithin(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, remaining);
      });
      await Promise.race([Promise.allSettled([...this.running.keys()]), timeout]);
      clearTimeout(timer);
    }
    return true;
  }
}
