import { guildKey, type Job } from './job.js';

interface GuildQueue {
  jobs: Job[];
  /** Sequence number of this guild's last start; 0 when it has never been served. */
  lastServed: number;
}

// Guilds whose last start is remembered after their queue empties; the oldest are forgotten first.
const MAX_REMEMBERED_GUILDS = 10_000;

/**
 * The queued jobs of one backend, first in first out within each guild, with guilds served in turn.
 * The next job comes from the guild served least recently, remembered after its queue empties. So
 * a guild that arrives with nothing waiting goes ahead of a guild that was just served. A guild that floods the queue therefore gets one
 * start per round, like every other guild with jobs waiting.
 */
export class RoundRobinLane {
  readonly #guilds = new Map<string, GuildQueue>();
  // Last start per guild whose queue emptied; Map order is oldest first because entries are re-set on update.
  readonly #lastServed = new Map<string, number>();
  #served = 0;

  get size(): number {
    let size = 0;
    for (const guild of this.#guilds.values()) size += guild.jobs.length;
    return size;
  }

  /** Appends a job to its guild's queue. */
  push(job: Job): void {
    const key = guildKey(job);
    const guild = this.#guilds.get(key);
    if (guild === undefined)
      this.#guilds.set(key, { jobs: [job], lastServed: this.#lastServed.get(key) ?? 0 });
    else guild.jobs.push(job);
  }

  /**
   * Removes and returns the next job to start: the oldest job that `canStart` accepts (used to keep
   * a user to one running job) in the least recently served guild that has one. Undefined when none can.
   */
  take(canStart: (job: Job) => boolean): Job | undefined {
    for (const [key, guild] of this.#rotation()) {
      const index = guild.jobs.findIndex(canStart);
      if (index === -1) continue;

      const [job] = guild.jobs.splice(index, 1);
      guild.lastServed = ++this.#served;
      if (guild.jobs.length === 0) this.#forget(key, guild);
      return job;
    }
    return undefined;
  }

  /** Removes a queued job; returns it, or undefined when it is not in this lane. */
  remove(jobId: string): Job | undefined {
    for (const [key, guild] of this.#guilds) {
      const index = guild.jobs.findIndex((job) => job.id === jobId);
      if (index === -1) continue;

      const [job] = guild.jobs.splice(index, 1);
      if (guild.jobs.length === 0) this.#forget(key, guild);
      return job;
    }
    return undefined;
  }

  find(jobId: string): Job | undefined {
    for (const guild of this.#guilds.values()) {
      const job = guild.jobs.find((candidate) => candidate.id === jobId);
      if (job !== undefined) return job;
    }
    return undefined;
  }

  jobs(): Job[] {
    return [...this.#guilds.values()].flatMap((guild) => guild.jobs);
  }

  /**
   * Returns the 1-based place of a job in the start order if nothing else arrives: round r starts the r-th
   * job of every guild, in rotation order. Ignores the one-running-job-per-user rule, which can only
   * delay a job, so this is a lower bound.
   */
  position(jobId: string): number | undefined {
    const rotation = this.#rotation().map(([, guild]) => guild.jobs);
    for (const [guildIndex, jobs] of rotation.entries()) {
      const round = jobs.findIndex((job) => job.id === jobId);
      if (round === -1) continue;

      let before = 0;
      for (const [otherIndex, other] of rotation.entries()) {
        // Every guild starts min(length, round) jobs in earlier rounds, and guilds ahead in the
        // rotation with a job in this round start it first.
        before += Math.min(other.length, round);
        if (otherIndex < guildIndex && other.length > round) before++;
      }
      return before + 1;
    }
    return undefined;
  }

  #forget(key: string, guild: GuildQueue): void {
    this.#guilds.delete(key);
    if (guild.lastServed === 0) return;
    this.#lastServed.delete(key);
    this.#lastServed.set(key, guild.lastServed);
    if (this.#lastServed.size > MAX_REMEMBERED_GUILDS) {
      const oldest = this.#lastServed.keys().next().value;
      if (oldest !== undefined) this.#lastServed.delete(oldest);
    }
  }

  /** Guilds in serving order: least recently served first, then by arrival (the sort is stable). */
  #rotation(): [string, GuildQueue][] {
    return [...this.#guilds].sort(([, a], [, b]) => a.lastServed - b.lastServed);
  }
}
