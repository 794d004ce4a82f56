import { DiscordAPIError } from 'discord.js';
import { requestLogger } from '../../src/core/requestLogger.js';
import { isIrisError, toIrisError } from '../../src/errors/IrisError.js';
import type { Logger } from '../../src/logging/logger.js';
import type { IrisMetrics } from '../../src/metrics/IrisMetrics.js';
import { finishAnchor } from './anchor.js';
import type { DiscordContext } from './context.js';
import { performDescribe } from './describeJob.js';
import { explainDiscordError, logDiscordError } from './discordErrors.js';
import { ThreadWithFallback } from './fallbackTarget.js';
import { performImagine } from './imagineJob.js';
import { interruptJob } from './interruptJob.js';
import type { DiscordJob } from './job.js';
import { openThread } from './openThread.js';
import { channelTarget, interactionTarget, type ReplyTarget } from './replyTarget.js';

const THREAD_LOST_NOTICE =
  'The thread for this result was locked, archived or deleted, so the result is posted here instead.';
const THREAD_FAILED_NOTE = 'The bot could not start a thread here, so the result is posted below.';

/** The logger for a job: every line carries its guild, channel, user, interaction and job ids. */
export function jobLogger(context: DiscordContext, job: DiscordJob): Logger {
  return requestLogger(context.core.logger, {
    platform: 'discord',
    guild: job.ids.guild,
    channel: job.ids.channel,
    user: job.ids.user,
    interaction: job.ids.interaction,
    job: job.ids.job,
    command: job.command,
  });
}

async function chooseTarget(context: DiscordContext, job: DiscordJob, logger: Logger): Promise<ReplyTarget> {
  const inPlace = interactionTarget(context, job);
  if (job.delivery === 'thread' && job.threadId === undefined && job.anchorMessageId !== undefined) {
    job.threadId = await openThread(context, job, job.anchorMessageId, logger);
    if (job.threadId === undefined) {
      job.delivery = 'in-place';
      job.deliveryNote = THREAD_FAILED_NOTE;
    }
  }
  if (job.delivery !== 'thread' || job.threadId === undefined) {
    if (job.deliveryNote) await inPlace.send({ content: job.deliveryNote });
    return inPlace;
  }
  const thread = channelTarget(context, job.threadId);
  return new ThreadWithFallback(thread, inPlace, logger, context.core.metrics, THREAD_LOST_NOTICE);
}

function userMessageOf(error: unknown): string {
  if (error instanceof DiscordAPIError) return explainDiscordError(error);
  return toIrisError(error).userMessage;
}

function logFailure(metrics: IrisMetrics, logger: Logger, error: unknown): void {
  if (error instanceof DiscordAPIError) {
    logDiscordError(metrics, logger, error, 'deliver result');
    logger.warn({ discordCode: error.code }, 'job failed: Discord rejected the result');
    return;
  }
  const iris = toIrisError(error);
  const level = isIrisError(error) ? 'warn' : 'error';
  logger[level](
    { err: error, code: iris.code, adminHint: iris.adminHint, ...iris.details },
    `job failed: ${iris.message}`,
  );
}

/** Signals a queued job runs with: the requester's Cancel, and shutdown's end of the grace period. */
export interface JobSignals {
  cancel?: AbortSignal;
  shutdown?: AbortSignal;
}

/**
 * Performs a job: starts its thread when it has one, runs the command, delivers the result and edits
 * the anchor to say how it ended. A cancelled job stops quietly (the queue's observer edits its
 * anchor); one stopped by shutdown is reported interrupted, with a Retry button. Never rejects:
 * every failure is logged and reported to the user.
 */
export async function runJob(
  context: DiscordContext,
  job: DiscordJob,
  signals: JobSignals = {},
): Promise<void> {
  const logger = jobLogger(context, job);
  const startedAt = Date.now();
  const given = [signals.cancel, signals.shutdown].filter((signal) => signal !== undefined);
  const signal = given.length > 0 ? AbortSignal.any(given) : undefined;
  try {
    const target = await chooseTarget(context, job, logger);
    if (job.command === 'describe') {
      const conversation = await performDescribe(context, job, target, logger, signal);
      const inThread =
        !(target instanceof ThreadWithFallback && target.fellBack) && job.threadId !== undefined;
      if (conversation && inThread && job.threadId && !signal?.aborted) {
        await context.conversations.set(job.threadId, { ...conversation, userId: job.ids.user });
      }
    } else {
      await performImagine(context, job, target, logger, signal);
    }
    if (await stoppedBy(context, job, signals, logger)) return;
    const threadId = target instanceof ThreadWithFallback && !target.fellBack ? job.threadId : undefined;
    await finishAnchor(context, job, logger, { ok: true, threadId });
    logger.info({ ms: Date.now() - startedAt, delivery: job.delivery }, 'job done');
  } catch (error) {
    if (await stoppedBy(context, job, signals, logger)) return;
    await finishAnchor(context, job, logger, { ok: false, reason: userMessageOf(error) });
    logFailure(context.core.metrics, logger, error);
  }
}

/** Handles a job stopped by Cancel or by shutdown; returns false when neither signal fired. */
async function stoppedBy(
  context: DiscordContext,
  job: DiscordJob,
  signals: JobSignals,
  logger: Logger,
): Promise<boolean> {
  if (signals.cancel?.aborted) {
    logger.info('job cancelled by the requester');
    return true;
  }
  if (signals.shutdown?.aborted) {
    await interruptJob(context, job, logger);
    return true;
  }
  return false;
}
