import type { Logger } from '../../src/logging/logger.js';
import type { JobStatus } from '../../src/queue/JobStatus.js';
import { cancelledText, editAnchor, queuedText, workingText } from './anchor.js';
import type { DiscordContext } from './context.js';
import type { DiscordJob } from './job.js';
import { queueButtonRow } from './queueButtons.js';

/**
 * Shows a job's status on its anchor: queue position and estimated start, then "working", each with
 * a Cancel button; or "cancelled". Finished and failed jobs are left to runJob, which edits the
 * anchor itself, and interrupted ones to the resume handler.
 */
export async function showStatus(
  context: DiscordContext,
  job: DiscordJob,
  status: JobStatus,
  logger: Logger,
): Promise<void> {
  const cancel = queueButtonRow({ action: 'cancel', jobId: job.ids.job, requesterId: job.ids.user });
  if (status.state === 'cancelled') {
    await editAnchor(context, job, logger, { content: cancelledText(job), components: [] });
    return;
  }
  if (status.state !== 'queued' && status.state !== 'running') return;

  // Read the status again: by the time an earlier edit is done, the job may have moved on or ended.
  const current = context.jobs.queue.status(job.ids.job);
  if (current?.state === 'queued') {
    const content = queuedText(job, current.position, current.estimatedWaitMs);
    await editAnchor(context, job, logger, { content, components: cancel });
  } else if (current?.state === 'running') {
    await editAnchor(context, job, logger, { content: workingText(job), components: cancel });
  }
}

/**
 * Keeps the anchor up to date as the job moves through the queue, editing it at most once per
 * `anchorUpdateMs` for position changes and at once for state changes.
 */
export function watchAnchor(context: DiscordContext, job: DiscordJob, logger: Logger): void {
  context.jobs.queue.observe(
    job.ids.job,
    (status) => void showStatus(context, job, status, logger),
    context.settings.anchorUpdateMs,
  );
}
