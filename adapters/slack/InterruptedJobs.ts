import type { Keyv } from 'keyv';
import type { QueuedSlackJob } from './jobs.js';

/** How long a Retry button for an interrupted job keeps working, in milliseconds (7 days). */
export const INTERRUPTED_JOB_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Jobs a restart interrupted, keyed by the old job id that their Retry button carries. */
export class InterruptedJobs {
  constructor(
    private readonly store: Keyv<QueuedSlackJob>,
    private readonly ttlMs = INTERRUPTED_JOB_TTL_MS,
  ) {}

  private key(jobId: string): string {
    return `interrupted:${jobId}`;
  }

  async save(job: QueuedSlackJob): Promise<void> {
    await this.store.set(this.key(job.jobId), job, this.ttlMs);
  }

  async find(jobId: string): Promise<QueuedSlackJob | undefined> {
    return this.store.get(this.key(jobId));
  }

  async remove(jobId: string): Promise<void> {
    await this.store.delete(this.key(jobId));
  }
}
