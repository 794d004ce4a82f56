import type { Keyv } from 'keyv';
import { storeUnavailable } from '../../src/store/storeUnavailable.js';
import type { DiscordJob } from './job.js';

// An interrupted job can be retried for 7 days (in milliseconds); after that the Retry button says it expired.
const RETRY_TTL_MS = 7 * 24 * 60 * 60_000;

/**
 * Interrupted jobs, kept so their anchor's Retry button can submit them again in one click. Lives in
 * the `jobs` namespace under its own `discord-retry:` keys, beside the queue's `job:` and `index:` keys.
 */
export class RetryStore {
  constructor(private readonly keyv: Keyv) {}

  /** Throws `STORE_UNAVAILABLE`. */
  async save(job: DiscordJob): Promise<void> {
    try {
      await this.keyv.set(retryKey(job.ids.job), job, RETRY_TTL_MS);
    } catch (cause) {
      throw storeUnavailable('retry save', cause);
    }
  }

  /** Returns the interrupted job, or undefined when it expired or was retried. Throws `STORE_UNAVAILABLE`. */
  async get(jobId: string): Promise<DiscordJob | undefined> {
    try {
      return await this.keyv.get<DiscordJob>(retryKey(jobId));
    } catch (cause) {
      throw storeUnavailable('retry read', cause);
    }
  }

  /** Throws `STORE_UNAVAILABLE`. */
  async remove(jobId: string): Promise<void> {
    try {
      await this.keyv.delete(retryKey(jobId));
    } catch (cause) {
      throw storeUnavailable('retry removal', cause);
    }
  }
}

function retryKey(jobId: string): string {
  return `discord-retry:${jobId}`;
}
