import type { Logger } from '../../src/logging/logger.js';
import { editAnchor, interruptedText } from './anchor.js';
import type { DiscordContext } from './context.js';
import type { DiscordJob } from './job.js';
import { queueButtonRow } from './queueButtons.js';

/**
 * Reports a job that a restart or shutdown stopped: keeps it for a retry and edits its anchor to say
 * it was interrupted, with a Retry button. Never throws; when the anchor cannot be edited (a private
 * anchor whose token expired, or a deleted one) the log says the user could not be told.
 */
export async function interruptJob(context: DiscordContext, job: DiscordJob, logger: Logger): Promise<void> {
  let canRetry = true;
  try {
    await context.retries.save(job);
  } catch (error) {
    canRetry = false;
    logger.error({ err: error }, 'could not keep the interrupted job for a retry');
  }

  const edited = await editAnchor(context, job, logger, {
    content: interruptedText(job, canRetry),
    components: canRetry
      ? queueButtonRow({ action: 'retry', jobId: job.ids.job, requesterId: job.ids.user })
      : [],
  });
  if (edited) logger.info({ canRetry }, 'job interrupted; the anchor says so');
  else logger.warn({ canRetry }, 'job interrupted, but its anchor could not be edited to tell the user');
}
