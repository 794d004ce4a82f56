import { requestLogger } from '../../src/core/requestLogger.js';
import type { Logger } from '../../src/logging/logger.js';
import type { Job } from '../../src/queue/job.js';
import { JobCard } from './JobCard.js';
import type { JobRunner } from './JobRunner.js';
import { jobActions, oneButtonBlocks } from './jobButtons.js';
import { fromQueuedJob, type QueuedSlackJob } from './jobs.js';
import { performJob } from './performJob.js';
import type { SlackContext } from './SlackContext.js';
import { cannotPostInChannel, fromSlackError } from './slackErrors.js';

const RESUMED_NOTE = '_Resumed after a restart of the bot._';

/**
 * Registers the Slack run and resume handlers on the shared queue. The run handler performs the
 * stored job through the core's job tracker, so shutdown waits for it. After a restart, the resume
 * handler puts a job back in line when its thread can still be posted to, and marks its status
 * message (the anchor or a thread reply) as resumed. Otherwise the requester gets a Retry button:
 * on the anchor when it can still be edited, else in a direct message. Returns the status messages
 * of resumed jobs, to be shown once `queue.restore()` has put them back in line.
 */
export function registerQueueHandlers(context: SlackContext, runner: JobRunner): Map<string, JobCard> {
  const resumed = new Map<string, JobCard>();

  context.jobSystem.queue.register('slack', {
    run(job, signal) {
      const slackJob = fromQueuedJob(job);
      const work = context.core.jobs.run((shutdownSignal) =>
        performJob(
          { ...context, signal: AbortSignal.any([context.signal, signal, shutdownSignal]) },
          slackJob,
          signal,
        ),
      );
      runner.track(work);
      return work;
    },

    async resume(job, { wasRunning }) {
      const slackJob = fromQueuedJob(job);
      const logger = jobLogger(context, job);
      try {
        resumed.set(job.id, await resumeStatus(context, runner, logger, slackJob));
        return 'requeue';
      } catch (error) {
        const failure = fromSlackError(error);
        if (!cannotPostInChannel(failure)) {
          // Slack itself failed, not the channel, so the thread can most likely still be posted to.
          logger.warn(
            { err: failure, wasRunning },
            'could not show the resumed job’s status; resuming it anyway',
          );
          return 'requeue';
        }
        logger.info(
          { slackError: failure.details.slackError, wasRunning },
          'thread unreachable after restart',
        );
        await offerRetry(context, logger, slackJob);
        return 'interrupted';
      }
    },
  });
  return resumed;
}

/** Marks the status message of a resumed job, which also proves its channel can still be posted to. */
async function resumeStatus(
  context: SlackContext,
  runner: JobRunner,
  logger: Logger,
  job: QueuedSlackJob,
): Promise<JobCard> {
  const { client } = context;
  const { channelId, threadTs, userId } = job.target;
  const place = { jobId: job.jobId, channelId, threadTs, requesterId: userId };

  if (job.command === 'imagine' && job.anchorTs !== undefined && job.anchorText !== undefined) {
    const anchor = { ts: job.anchorTs, text: job.anchorText };
    await client.chat.update({ channel: channelId, ts: anchor.ts, text: `${anchor.text}\n${RESUMED_NOTE}` });
    return new JobCard(context, runner, logger, { ...place, anchor });
  }
  // Edit the status message the job had before the restart, or post one when it had none.
  let statusTs = await context.statusMessages.find(job.jobId).catch((error: unknown) => {
    logger.warn({ err: error }, 'could not read the job’s status message record; posting a new one');
    return undefined;
  });
  if (statusTs !== undefined) {
    await client.chat.update({ channel: channelId, ts: statusTs, text: RESUMED_NOTE, blocks: [] });
  } else {
    const posted = await client.chat.postMessage({
      channel: channelId,
      thread_ts: threadTs,
      text: RESUMED_NOTE,
    });
    statusTs = posted.ts as string;
    await context.statusMessages.save(job.jobId, statusTs);
  }
  return new JobCard(context, runner, logger, { ...place, note: RESUMED_NOTE, statusTs });
}

/** Saves the job for its Retry button and posts the button where the requester can still see it. */
async function offerRetry(context: SlackContext, logger: Logger, job: QueuedSlackJob): Promise<void> {
  await context.interruptedJobs.save(job);
  const what = job.command === 'imagine' ? 'image request' : 'request to describe an image';
  const text = `<@${job.target.userId}> Your ${what} was interrupted by a restart of the bot. Press *Retry* to run it again.`;
  const blocks = oneButtonBlocks(text, {
    actionId: jobActions.retry,
    label: 'Retry',
    value: job.jobId,
    style: 'primary',
  });

  if (job.command === 'imagine' && job.anchorTs !== undefined) {
    try {
      await context.client.chat.update({ channel: job.target.channelId, ts: job.anchorTs, text, blocks });
      return;
    } catch (error) {
      logger.info({ err: fromSlackError(error) }, 'anchor not editable; telling the requester directly');
    }
  }
  try {
    // A user id as the channel posts into the app's direct message with that user.
    await context.client.chat.postMessage({ channel: job.target.userId, text, blocks });
  } catch (error) {
    logger.error(
      { err: fromSlackError(error) },
      'could not tell the requester that their job was interrupted',
    );
  }
}

function jobLogger(context: SlackContext, job: Job): Logger {
  return requestLogger(context.core.logger, {
    platform: 'slack',
    guild: job.guildId,
    channel: job.channelId,
    user: job.userId,
    job: job.id,
    command: job.command,
  });
}
