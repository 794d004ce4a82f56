import { requestLogger } from '../../src/core/requestLogger.js';
import { performDelete } from './deleteJob.js';
import { performDescribe } from './describeJob.js';
import { performImagine } from './imagineJob.js';
import type { SlackJob } from './jobs.js';
import { postInThread, respondEphemeral } from './postInThread.js';
import type { SlackContext } from './SlackContext.js';
import { cannotPostInChannel, fromSlackError, recordSlackApiError } from './slackErrors.js';

/**
 * Performs one job and reports its failure to the user and the log; never rejects. The queue's run
 * handler calls it with stored jobs. A job stopped by `cancelSignal` (the requester's Cancel) is not
 * reported as a failure, because its status message already says it was cancelled.
 */
export async function performJob(
  context: SlackContext,
  job: SlackJob,
  cancelSignal?: AbortSignal,
): Promise<void> {
  const { target } = job;
  const logger = requestLogger(context.core.logger, {
    platform: 'slack',
    guild: target.teamId,
    channel: target.channelId,
    user: target.userId,
    interaction: target.interactionId,
    job: job.jobId,
    command: job.command,
  });
  const started = performance.now();

  try {
    if (job.command === 'describe') await performDescribe(context, job, logger);
    else if (job.command === 'imagine') await performImagine(context, job, logger);
    else await performDelete(context, job, logger);
    logger.info({ ms: Math.round(performance.now() - started) }, 'job finished');
  } catch (error) {
    if (cancelSignal?.aborted === true) {
      logger.info({ ms: Math.round(performance.now() - started) }, 'job cancelled by the requester');
      return;
    }
    const failure = fromSlackError(error);
    recordSlackApiError(context.core.metrics, error);
    logger.error(
      { err: failure, code: failure.code, ...failure.details, adminHint: failure.adminHint },
      'job failed',
    );
    await reportFailure(context, job, failure.userMessage, cannotPostInChannel(failure)).catch(
      (reportError: unknown) =>
        logger.warn({ err: fromSlackError(reportError) }, 'could not tell the user about the failure'),
    );
  }
}

// Tells the user about a failure: in the thread, or through a slash command's response_url where the bot cannot post.
async function reportFailure(
  context: SlackContext,
  job: SlackJob,
  userMessage: string,
  channelClosed: boolean,
): Promise<void> {
  if (!channelClosed) {
    await postInThread(context, job.target, userMessage);
  } else if (job.target.responseUrl !== undefined) {
    await respondEphemeral(job.target.responseUrl, userMessage);
  }
}
