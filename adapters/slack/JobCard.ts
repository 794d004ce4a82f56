import type { Logger } from '../../src/logging/logger.js';
import { formatWait } from '../../src/queue/formatWait.js';
import type { JobStatus } from '../../src/queue/JobStatus.js';
import type { JobRunner } from './JobRunner.js';
import { jobActions, oneButtonBlocks } from './jobButtons.js';
import type { SlackContext } from './SlackContext.js';

/** Shortest time between two queue position edits of one message, in milliseconds. */
export const QUEUE_STATUS_INTERVAL_MS = 3_000;

export interface JobCardPlace {
  jobId: string;
  channelId: string;
  threadTs: string;
  requesterId: string;
  /** The slash command's anchor message: the status is shown under its text, which is restored at the end. */
  anchor?: { ts: string; text: string };
  /** Text put before the status of a thread message, such as "Resumed after a restart." */
  note?: string;
  /** A thread status message posted already, after a restart; it is deleted when the job ends. */
  statusTs?: string;
}

/**
 * The message that shows a job's place in the queue, its estimated wait and a **Cancel** button.
 * It is the anchor of a slash command, or else a thread reply posted only once the job has to wait,
 * so a job that starts at once gets none. Edits run one at a time, and only the newest status is rendered.
 */
export class JobCard {
  #ts: string | undefined;
  #pending: JobStatus | undefined;
  #busy = false;

  constructor(
    private readonly context: SlackContext,
    private readonly runner: JobRunner,
    private readonly logger: Logger,
    private readonly place: JobCardPlace,
  ) {
    this.#ts = place.anchor?.ts ?? place.statusTs;
  }

  /** Starts following the job in the queue and shows `initial` (the status admission returned). */
  follow(initial: JobStatus | undefined): void {
    const { queue } = this.context.jobSystem;
    queue.observe(this.place.jobId, (status) => this.show(status), QUEUE_STATUS_INTERVAL_MS);
    // The job may have started between admission and now, so render the queue's current status.
    const current = queue.status(this.place.jobId) ?? initial;
    if (current !== undefined) this.show(current);
  }

  /** Renders a status; statuses that arrive while an edit is in flight replace each other. */
  show(status: JobStatus): void {
    this.#pending = status;
    if (this.#busy) return;
    this.#busy = true;
    this.runner.defer(this.logger, async () => {
      try {
        while (this.#pending !== undefined) {
          const next = this.#pending;
          this.#pending = undefined;
          await this.#render(next).catch((error: unknown) => {
            this.logger.warn({ err: error, state: next.state }, 'queue status message update failed');
          });
        }
      } finally {
        this.#busy = false;
      }
    });
  }

  async #render(status: JobStatus): Promise<void> {
    const { anchor } = this.place;
    switch (status.state) {
      case 'queued': {
        const line = `Waiting in line: number ${status.position}, estimated wait ${formatWait(status.estimatedWaitMs)}.`;
        await this.#write(this.#withHead(line), true);
        return;
      }
      case 'running':
        // A thread message is posted only for a job that waited; the anchor always shows the state.
        if (anchor !== undefined || this.#ts !== undefined)
          await this.#write(this.#withHead('Working on it…'), true);
        return;
      case 'cancelled': {
        const line = `_Cancelled by <@${this.place.requesterId}>._`;
        await this.#write(anchor === undefined ? line : `${anchor.text}\n${line}`, false);
        return;
      }
      default:
        // Finished, failed or interrupted: the results (or the error) are in the thread.
        if (anchor !== undefined) await this.#write(anchor.text, false);
        else if (this.#ts !== undefined) {
          await this.context.client.chat.delete({ channel: this.place.channelId, ts: this.#ts });
          this.#ts = undefined;
          await this.context.statusMessages.remove(this.place.jobId);
        }
    }
  }

  #withHead(line: string): string {
    if (this.place.anchor !== undefined) return `${this.place.anchor.text}\n${line}`;
    return this.place.note === undefined ? line : `${this.place.note} ${line}`;
  }

  async #write(text: string, cancellable: boolean): Promise<void> {
    const blocks = cancellable
      ? oneButtonBlocks(text, { actionId: jobActions.cancel, label: 'Cancel', value: this.place.jobId })
      : [];
    const { client } = this.context;
    if (this.#ts === undefined) {
      const posted = await client.chat.postMessage({
        channel: this.place.channelId,
        thread_ts: this.place.threadTs,
        text,
        ...(blocks.length > 0 ? { blocks } : {}),
      });
      this.#ts = posted.ts as string;
      if (this.place.anchor === undefined) await this.context.statusMessages.save(this.place.jobId, this.#ts);
      return;
    }
    await client.chat.update({ channel: this.place.channelId, ts: this.#ts, text, blocks });
  }
}
