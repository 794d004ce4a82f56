import { Routes } from 'discord-api-types/v10';
import type { PlatformHandlers } from '../../src/queue/handlers.js';
import type { Job } from '../../src/queue/job.js';
import { watchAnchor } from './anchorStatus.js';
import type { DiscordContext } from './context.js';
import { logDiscordError } from './discordErrors.js';
import { answerFollowUp } from './handlers/followUpHandler.js';
import { interruptJob } from './interruptJob.js';
import type { DiscordJob } from './job.js';
import { payloadOf } from './queuedJob.js';
import { interactionTokenAlive } from './replyTarget.js';
import { jobLogger, runJob } from './runJob.js';

/** Whether the bot can still see a channel or thread it would post the result to. */
async function canPostIn(context: DiscordContext, channelId: string, job: DiscordJob): Promise<boolean> {
  try {
    const channel = (await context.rest.get(Routes.channel(channelId))) as {
      thread_metadata?: { locked?: boolean };
    };
    return channel.thread_metadata?.locked !== true;
  } catch (error) {
    // Missing access, a deleted channel or a failed call all mean the result cannot be delivered.
    logDiscordError(context.core.metrics, jobLogger(context, job), error, 'check channel after restart');
    return false;
  }
}

async function runQueued(context: DiscordContext, job: Job, cancel: AbortSignal): Promise<void> {
  const payload = payloadOf(job);
  if (payload.kind === 'follow-up') {
    await context.core.jobs.run((shutdown) =>
      answerFollowUp(context, payload.job, job.id, AbortSignal.any([cancel, shutdown])),
    );
    return;
  }

  const discordJob = payload.job;
  if (!context.accepting() || context.core.jobs.closed) {
    // The queue started it while the adapter was stopping: it could not finish, so say so.
    await interruptJob(context, discordJob, jobLogger(context, discordJob));
    return;
  }
  await context.core.jobs.run((shutdown) => runJob(context, discordJob, { cancel, shutdown }));
}

/**
 * Decides what happens to a job found in the store after a restart. A job whose interaction token
 * is still valid, or whose channel the bot can still post to, goes back in the queue (delivered as an
 * ordinary bot message once the token has expired). Otherwise its anchor says it was interrupted,
 * with a Retry button. Follow-up questions resume while their thread can be posted to.
 */
async function resumeQueued(
  context: DiscordContext,
  job: Job,
  wasRunning: boolean,
): Promise<'requeue' | 'interrupted'> {
  const payload = payloadOf(job);
  if (payload.kind === 'follow-up') {
    const logger = context.core.logger.child({
      platform: 'discord',
      job: job.id,
      channel: payload.job.ids.thread,
    });
    try {
      await context.rest.get(Routes.channel(payload.job.ids.thread));
      return 'requeue';
    } catch (error) {
      logDiscordError(context.core.metrics, logger, error, 'check thread after restart');
      logger.warn('follow-up question dropped after a restart: its thread is gone');
      return 'interrupted';
    }
  }

  const discordJob = payload.job;
  const logger = jobLogger(context, discordJob);
  const alive = interactionTokenAlive(context, discordJob);
  const resumable =
    alive ||
    (discordJob.delivery !== 'ephemeral' && (await canPostIn(context, discordJob.ids.channel, discordJob)));
  logger.info({ wasRunning, tokenAlive: alive, resumable }, 'stored job found after restart');
  if (!resumable) {
    await interruptJob(context, discordJob, logger);
    return 'interrupted';
  }
  watchAnchor(context, discordJob, logger);
  return 'requeue';
}

/** The run and resume handlers the adapter registers with the shared queue. */
export function discordJobHandlers(context: DiscordContext): PlatformHandlers {
  return {
    run: (job, signal) => runQueued(context, job, signal),
    resume: (job, { wasRunning }) => resumeQueued(context, job, wasRunning),
  };
}
