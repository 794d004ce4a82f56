import type { Keyv } from 'keyv';

/**
 * How long the thread status message of a job is remembered, in milliseconds (7 days): as long as
 * a Retry button works, so a restart or a retry can edit or remove the message the job left.
 */
export const STATUS_MESSAGE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The `ts` of each job's thread status message, keyed by job id, kept in the shared store. */
export class StatusMessages {
  constructor(
    private readonly store: Keyv<string>,
    private readonly ttlMs = STATUS_MESSAGE_TTL_MS,
  ) {}

  private key(jobId: string): string {
    return `status:${jobId}`;
  }

  async save(jobId: string, messageTs: string): Promise<void> {
    await this.store.set(this.key(jobId), messageTs, this.ttlMs);
  }

  async find(jobId: string): Promise<string | undefined> {
    return this.store.get(this.key(jobId));
  }

  async remove(jobId: string): Promise<void> {
    await this.store.delete(this.key(jobId));
  }
}
