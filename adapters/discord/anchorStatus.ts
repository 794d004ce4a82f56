import type { Logger } from '../../src/logging/logger.js';
import type { JobStatus } from '../../src/queue/JobStatus.js';
import {
  type AnchorContent,
  cancelledText,
  editAnchor,
  queuedText,
  refreshAnchor,
  workingText,
} from './anchor.js';
import type { DiscordContext } from './context.js';
import type { DiscordJob } from './job.js';
import { queueButtonRow } from './queueButtons.js';

/**
 * How far, in milliseconds, a new estimated start may move before the anchor shows it while the
 * position stays the same. Discord renders the estimate as a relative time that counts down on its
 * own, so small drifts of the estimate are not worth an edit.
 */
export const ESTIMATE_TOLERANCE_MS = 15_000;

/** What an anchor shows of a job's status, to edit it only when that changes. */
type ShownStatus =
  | { state: 'queued'; position: number; estimatedStart: number | undefined }
  | { state: 'running' }
  | undefined;

/**
 * Tracks what one anchor shows and renders its next status text: queue position and estimated start,
 * then "working", each with a Cancel button. Returns undefined when the user would see no change.
 */
export class AnchorStatusView {
  #shown: ShownStatus;

  constructor(private readonly job: DiscordJob) {}

  /** The content for `status`, or undefined when the anchor already shows it or the job has ended. */
  render(status: JobStatus | undefined, now = Date.now()): AnchorContent | undefined {
    const cancel = queueButtonRow({
      action: 'cancel',
      jobId: this.job.ids.job,
      requesterId: this.job.ids.user,
    });

    if (status?.state === 'running') {
      if (this.#shown?.state === 'running') return undefined;
      this.#shown = { state: 'running' };
      return { content: workingText(this.job), components: cancel };
    }
    if (status?.state !== 'queued') return undefined;

    const shown = this.#shown?.state === 'queued' ? this.#shown : undefined;
    let estimatedStart = status.estimatedWaitMs > 0 ? now + status.estimatedWaitMs : undefined;
    const shownStart = shown?.estimatedStart;
    if (
      estimatedStart !== undefined &&
      shownStart !== undefined &&
      Math.abs(estimatedStart - shownStart) < ESTIMATE_TOLERANCE_MS
    ) {
      estimatedStart = shownStart;
    }
    if (shown?.position === status.position && shownStart === estimatedStart) return undefined;

    this.#shown = { state: 'queued', position: status.position, estimatedStart };
    const start = estimatedStart === undefined ? undefined : new Date(estimatedStart);
    return { content: queuedText(this.job, status.position, start), components: cancel };
  }
}

/**
 * Keeps the anchor up to date as the job moves through the queue. Position and state changes are
 * refreshes within the process's anchor budget, coalesced per anchor, and sent only when the text
 * changes; the observer also passes position changes at most once per `anchorUpdateMs`. A cancelled
 * job's anchor is edited at once. Finished and failed jobs are left to runJob, which edits the anchor
 * itself, and interrupted ones to the resume handler. `initial`, when given, is shown first.
 */
export function watchAnchor(
  context: DiscordContext,
  job: DiscordJob,
  logger: Logger,
  initial?: JobStatus,
): void {
  const view = new AnchorStatusView(job);
  const show = (status: JobStatus) => {
    if (status.state === 'cancelled') {
      void editAnchor(context, job, logger, { content: cancelledText(job), components: [] });
      return;
    }
    if (status.state !== 'queued' && status.state !== 'running') return;
    // The edit reads the status again when its turn comes: the job may have moved on by then.
    refreshAnchor(context, job, logger, () => view.render(context.jobs.queue.status(job.ids.job)));
  };

  context.jobs.queue.observe(job.ids.job, show, context.settings.anchorUpdateMs);
  if (initial !== undefined) show(initial);
}
