import { isIrisError } from '../errors/IrisError.js';
import type { Logger } from '../logging/logger.js';
import { type IrisMetrics, noopMetrics } from '../metrics/IrisMetrics.js';
import type { JobQueue } from '../queue/JobQueue.js';
import type { JobStatus } from '../queue/JobStatus.js';
import { createJob, guildKey, type Job, type JobCommand, type NewJob, userKey } from '../queue/job.js';
import type { GuildScope, GuildSettingsStore } from '../settings/GuildSettingsStore.js';
import type { GuildSettings } from '../settings/guildSettingsSchema.js';
import { storeUnavailable } from '../store/storeUnavailable.js';
import type { Refusal } from './Refusal.js';
import type { SlidingWindowLimiter, WindowRule } from './SlidingWindowLimiter.js';

export interface AdmissionOptions {
  limiter: SlidingWindowLimiter;
  queue: JobQueue;
  settings: GuildSettingsStore;
  /** Defaults used for `/describe` while the settings store is unreachable. */
  defaults: GuildSettings;
  logger: Logger;
  /** Length of the sliding budget window, in milliseconds (`BUDGET_WINDOW_MS`, default 1 hour). */
  budgetWindowMs: number;
  /** Jobs a user may have waiting at once (default 2); running jobs are limited to 1 by the queue. */
  userMaxQueued?: number;
  /** Clock in epoch milliseconds; tests move it. */
  now?: () => number;
  /** Counts refusals by limit; nothing is recorded without it. */
  metrics?: IrisMetrics;
}

export type AdmissionResult =
  | { accepted: true; job: Job; status: Extract<JobStatus, { state: 'queued' | 'running' }> }
  | { accepted: false; refusal: Refusal };

/** A guild's use of one command's budget, for `/iris usage`. */
export interface BudgetUsage {
  used: number;
  limit: number;
  windowMs: number;
  /** When the oldest counted request leaves the window; undefined when none is counted. */
  nextSlotAt: Date | undefined;
}

/**
 * The gate in front of the queue. {@link Admission.admit} checks, in order: the channel allow-list,
 * the user's queued jobs, the guild's queue cap, then the user's cooldown and the guild's budget for
 * the command in one atomic step, and only then stores and queues the job. A refusal spends nothing.
 *
 * While the store is unreachable, `/imagine` fails closed with the refusal `store-unavailable`.
 * `/describe` skips the budget and cooldown with a logged warning, but it still needs the store to keep its job.
 */
export class Admission {
  readonly #options: AdmissionOptions;
  readonly #userMaxQueued: number;
  readonly #now: () => number;
  // Requests between their queue checks and their enqueue, so concurrent requests count each other.
  readonly #pendingGuild = new Map<string, number>();
  readonly #pendingUser = new Map<string, number>();

  constructor(options: AdmissionOptions) {
    this.#options = options;
    this.#userMaxQueued = options.userMaxQueued ?? 2;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Admits a request or returns why not. On acceptance the job is stored and queued, and `status`
   * gives its position and estimated wait (or `running` when a slot was free). Adapters reply to a
   * refusal ephemerally with `refusalMessage(refusal, discordRelativeTime | slackDate)`.
   * Never throws for store failures: they become a `store-unavailable` refusal.
   */
  async admit(request: NewJob): Promise<AdmissionResult> {
    const scope: GuildScope = { platform: request.platform, guildId: request.guildId };
    const fields = {
      platform: request.platform,
      guild: request.guildId,
      channel: request.channelId,
      user: request.userId,
      command: request.command,
      ...(request.requestId === undefined ? {} : { interaction: request.requestId }),
    };

    const settings = await this.#settingsFor(scope, request.command);
    if ('refusal' in settings) return this.#refuse(settings.refusal, fields);

    if (settings.allowedChannels.length > 0 && !settings.allowedChannels.includes(request.channelId)) {
      return this.#refuse({ reason: 'channel-not-allowed' }, fields);
    }
    const budget =
      request.command === 'imagine' ? settings.limits.imagineBudget : settings.limits.describeBudget;
    if (budget === 0) return this.#refuse({ reason: 'command-disabled', command: request.command }, fields);

    // Checked and reserved without awaiting in between, so concurrent requests see each other.
    // These counts are this process's queue. When sharded, that is still exact for the guild cap (Discord
    // sends all of a guild's events to one shard) but per shard for a user; budgets and cooldowns below
    // live in the shared store.
    const guild = guildKey(request);
    const user = userKey(request);
    const counts = this.#options.queue.counts(request);
    if (counts.userQueued + (this.#pendingUser.get(user) ?? 0) >= this.#userMaxQueued) {
      return this.#refuse({ reason: 'user-queue', maxQueued: this.#userMaxQueued }, fields);
    }
    if (counts.guildQueued + (this.#pendingGuild.get(guild) ?? 0) >= settings.limits.queueCap) {
      const waitMs = this.#options.queue.guildNextStartMs(request) ?? 0;
      return this.#refuse(
        { reason: 'guild-queue', cap: settings.limits.queueCap, retryAt: new Date(this.#now() + waitMs) },
        fields,
      );
    }

    adjust(this.#pendingGuild, guild, 1);
    adjust(this.#pendingUser, user, 1);
    try {
      const limited = await this.#consume(request, settings, budget);
      if (limited !== undefined) return this.#refuse(limited, fields);

      const job = createJob(request, this.#now());
      try {
        const status = await this.#options.queue.enqueue(job);
        return { accepted: true, job, status };
      } catch (error) {
        const refusal: Refusal = {
          reason: 'store-unavailable',
          error: isIrisError(error) ? error : storeUnavailable('job enqueue', error),
        };
        return this.#refuse(refusal, fields);
      }
    } finally {
      adjust(this.#pendingGuild, guild, -1);
      adjust(this.#pendingUser, user, -1);
    }
  }

  /** Reads a guild's current use of each command's budget, for `/iris usage`. Throws `STORE_UNAVAILABLE`. */
  async usage(scope: GuildScope): Promise<Record<JobCommand, BudgetUsage>> {
    const settings = await this.#options.settings.get(scope);
    const now = this.#now();
    const result = {} as Record<JobCommand, BudgetUsage>;
    for (const command of ['describe', 'imagine'] as const) {
      const rule = this.#budgetRule(
        scope,
        command,
        command === 'imagine' ? settings.limits.imagineBudget : settings.limits.describeBudget,
      );
      try {
        const usage = await this.#options.limiter.usage(rule, now);
        result[command] = {
          used: usage.used,
          limit: rule.limit,
          windowMs: rule.windowMs,
          nextSlotAt: usage.oldestExpiresAt === undefined ? undefined : new Date(usage.oldestExpiresAt),
        };
      } catch (cause) {
        throw storeUnavailable('usage read', cause);
      }
    }
    return result;
  }

  async #settingsFor(scope: GuildScope, command: JobCommand): Promise<GuildSettings | { refusal: Refusal }> {
    try {
      return await this.#options.settings.get(scope);
    } catch (error) {
      const wrapped = isIrisError(error) ? error : storeUnavailable('settings read', error);
      if (command === 'imagine') return { refusal: { reason: 'store-unavailable', error: wrapped } };
      this.#options.logger.warn(
        { err: error, guild: scope.guildId },
        'Settings unreadable; /describe uses the defaults',
      );
      return this.#options.defaults;
    }
  }

  async #consume(request: NewJob, settings: GuildSettings, budget: number): Promise<Refusal | undefined> {
    const now = this.#now();
    const budgetRule = this.#budgetRule(request, request.command, budget);
    const rules: WindowRule[] = [budgetRule];
    const cooldownMs = settings.limits.cooldownMs;
    if (cooldownMs > 0)
      rules.unshift({ key: `cooldown:${userKey(request)}`, limit: 1, windowMs: cooldownMs });

    let result: Awaited<ReturnType<SlidingWindowLimiter['consume']>>;
    try {
      result = await this.#options.limiter.consume(rules, now);
    } catch (cause) {
      const error = storeUnavailable('limit check', cause);
      if (request.command === 'imagine') return { reason: 'store-unavailable', error };
      this.#options.logger.warn(
        { err: cause, guild: request.guildId, user: request.userId },
        'Limit store unreachable; admitting /describe without budget or cooldown',
      );
      return undefined;
    }
    if (result.ok) return undefined;

    const rule = rules[result.ruleIndex];
    const retryAt = new Date(result.retryAt);
    if (rule === budgetRule) {
      return {
        reason: 'guild-budget',
        command: request.command,
        limit: budget,
        windowMs: budgetRule.windowMs,
        retryAt,
      };
    }
    return { reason: 'cooldown', cooldownMs, retryAt };
  }

  #budgetRule(scope: GuildScope, command: JobCommand, limit: number): WindowRule {
    return {
      key: `budget:${scope.platform}:${scope.guildId}:${command}`,
      limit,
      windowMs: this.#options.budgetWindowMs,
    };
  }

  #refuse(refusal: Refusal, fields: Record<string, string>): AdmissionResult {
    const { logger } = this.#options;
    if (refusal.reason === 'store-unavailable') {
      logger.error(
        { ...fields, err: refusal.error.cause, code: refusal.error.code },
        'Request rejected: store unreachable',
      );
    } else {
      const retryAt = 'retryAt' in refusal ? refusal.retryAt.toISOString() : undefined;
      logger.info({ ...fields, reason: refusal.reason, retryAt }, 'Request rejected by a limit');
    }
    (this.#options.metrics ?? noopMetrics).rateLimitRefusal({
      platform: fields.platform as Job['platform'],
      command: fields.command ?? 'unknown',
      limit: refusal.reason,
    });
    return { accepted: false, refusal };
  }
}

function adjust(counts: Map<string, number>, key: string, delta: number): void {
  const next = (counts.get(key) ?? 0) + delta;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}
