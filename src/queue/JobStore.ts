import type { Keyv } from 'keyv';
import type { Logger } from '../logging/logger.js';
import { storeUnavailable } from '../store/storeUnavailable.js';
import type { Job } from './job.js';

/**
 * Queued and running jobs in the `jobs` namespace: one record per job plus an index of job ids per
 * owner, all without a TTL, because a job is removed only when it finishes, is cancelled or is marked
 * interrupted. The index is read-modify-written, so writes run one at a time in this process and
 * each owner must be written by a single process at a time.
 */
export class JobStore {
  #tail: Promise<unknown> = Promise.resolve();

  /** @param owner - the process (or deployment) whose jobs these are; a restart with the same owner resumes them. */
  constructor(
    private readonly keyv: Keyv,
    private readonly owner: string,
    private readonly logger: Logger,
  ) {}

  /** Inserts or updates a job. Throws `STORE_UNAVAILABLE`. */
  save(job: Job): Promise<void> {
    return this.#exclusive('job save', async () => {
      await this.keyv.set(jobKey(job.id), job);
      const ids = await this.#index();
      if (!ids.includes(job.id)) await this.keyv.set(this.#indexKey(), [...ids, job.id]);
    });
  }

  /** Deletes a job. Throws `STORE_UNAVAILABLE`. */
  remove(jobId: string): Promise<void> {
    return this.#exclusive('job removal', async () => {
      const ids = await this.#index();
      if (ids.includes(jobId)) {
        await this.keyv.set(
          this.#indexKey(),
          ids.filter((id) => id !== jobId),
        );
      }
      await this.keyv.delete(jobKey(jobId));
    });
  }

  /** Reads every stored job of this owner, oldest first. Throws `STORE_UNAVAILABLE`. */
  loadAll(): Promise<Job[]> {
    return this.#exclusive('job load', async () => {
      const jobs: Job[] = [];
      for (const id of await this.#index()) {
        const job = await this.keyv.get<Job>(jobKey(id));
        if (job === undefined) {
          this.logger.warn(
            { job: id },
            'Job index lists a job whose record is missing; dropping it from the index',
          );
          continue;
        }
        jobs.push(job);
      }
      await this.keyv.set(
        this.#indexKey(),
        jobs.map((job) => job.id),
      );
      return jobs.sort((a, b) => a.createdAt - b.createdAt);
    });
  }

  async #index(): Promise<string[]> {
    return (await this.keyv.get<string[]>(this.#indexKey())) ?? [];
  }

  #indexKey(): string {
    return `index:${this.owner}`;
  }

  #exclusive<T>(operation: string, work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work).catch((cause: unknown) => {
      throw storeUnavailable(operation, cause);
    });
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

function jobKey(id: string): string {
  return `job:${id}`;
}
