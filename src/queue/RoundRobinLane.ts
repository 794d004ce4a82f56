import { guildKey, type Job } from './job.js';

/**
 * The queued jobs of one backend, first in first out within each guild, with guilds served in turn:
 * after a guild's job starts, that guild goes to the back of the rotation. A guild that floods the
 * queue therefore gets one start per round, like every other guild with jobs waiting.
 */
export class RoundRobinLane {
  // Map order is the rotation order: the first guild is served next.
  readonly #guilds = new Map<string, Job[]>();

  get size(): number {
    let size = 0;
    for (const jobs of this.#guilds.values()) size += jobs.length;
    return size;
  }

  /** Appends a job to its guild's queue; a guild with no jobs waiting joins the back of the rotation. */
  push(job: Job): void {
    const key = guildKey(job);
    const jobs = this.#guilds.get(key);
    if (jobs === undefined) this.#guilds.set(key, [job]);
    else jobs.push(job);
  }

  /**
   * Removes and returns the next job to start: the oldest job of the first guild in the rotation that
   * has one `canStart` accepts (used to keep a user to one running job). Returns undefined when none can.
   */
  take(canStart: (job: Job) => boolean): Job | undefined {
    for (const [key, jobs] of this.#guilds) {
      const index = jobs.findIndex(canStart);
      if (index === -1) continue;

      const [job] = jobs.splice(index, 1);
      this.#guilds.delete(key);
      if (jobs.length > 0) this.#guilds.set(key, jobs);
      return job;
    }
    return undefined;
  }

  /** Removes a queued job; returns it, or undefined when it is not in this lane. */
  remove(jobId: string): Job | undefined {
    for (const [key, jobs] of this.#guilds) {
      const index = jobs.findIndex((job) => job.id === jobId);
      if (index === -1) continue;

      const [job] = jobs.splice(index, 1);
      if (jobs.length === 0) this.#guilds.delete(key);
      return job;
    }
    return undefined;
  }

  find(jobId: string): Job | undefined {
    for (const jobs of this.#guilds.values()) {
      const job = jobs.find((candidate) => candidate.id === jobId);
      if (job !== undefined) return job;
    }
    return undefined;
  }

  jobs(): Job[] {
    return [...this.#guilds.values()].flat();
  }

  /**
   * The 1-based place of a job in the start order, if the rotation continues as it stands: round r
   * starts the r-th job of every guild, in rotation order. Ignores the one-running-job-per-user rule,
   * which can only delay a job, so this is a lower bound.
   */
  position(jobId: string): number | undefined {
    const guilds = [...this.#guilds.values()];
    for (const [guildIndex, jobs] of guilds.entries()) {
      const round = jobs.findIndex((job) => job.id === jobId);
      if (round === -1) continue;

      let before = 0;
      for (const [otherIndex, other] of guilds.entries()) {
        // Every guild starts min(length, round) jobs in earlier rounds, and guilds ahead in the
        // rotation with a job in this round start it first.
        before += Math.min(other.length, round);
        if (otherIndex < guildIndex && other.length > round) before++;
      }
      return before + 1;
    }
    return undefined;
  }
}
