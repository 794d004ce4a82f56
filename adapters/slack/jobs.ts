import type { RawImagineOptions } from '../../commands/imagine/options.js';
import type { Job, JsonValue, NewJob } from '../../src/queue/job.js';
import type { SlackFileRef } from './slackFiles.js';

/** Where a job runs and answers: Slack ids only, so a job can be stored and resumed elsewhere. */
export interface SlackJobTarget {
  teamId: string;
  channelId: string;
  userId: string;
  /** The thread every reply goes to: the triggering message's `thread_ts`, or its `ts`. */
  threadTs: string;
  /** The slash command's `response_url`, used to tell the user when the channel cannot be posted to. */
  responseUrl?: string;
  /** Slack's event id or trigger id, for the log. */
  interactionId?: string;
}

/** Describes images: files attached to the message, or, for a follow-up, the images in the thread. */
export interface DescribeJob {
  command: 'describe';
  jobId: string;
  target: SlackJobTarget;
  files: SlackFileRef[];
  options: { mode?: string; question?: string };
  /** Set for a mention in a thread without files: the thread supplies the image and the history. */
  followUp?: { messageTs: string };
}

/** Generates images and posts them into the thread with buttons. */
export interface ImagineJob {
  command: 'imagine';
  jobId: string;
  target: SlackJobTarget;
  /** The options as the user gave them; Re-roll and Variations start from these. */
  options: RawImagineOptions;
  /** The negative prompt after the workspace's prompt policy (with its safety terms); sent to the model. */
  policyNegative?: string;
  /** The slash command's anchor message, whose thread holds the replies. */
  anchorTs?: string;
  /** The anchor's text as first posted, restored when the job's queue status is removed from it. */
  anchorText?: string;
}

/** Deletes generated images and their button message. */
export interface DeleteJob {
  command: 'delete';
  jobId: string;
  target: SlackJobTarget;
  /** The `ts` of the message that carries the buttons. */
  messageTs: string;
}

/** One unit of work, plain data handed to performJob. */
export type SlackJob = DescribeJob | ImagineJob | DeleteJob;

/** Model work: it goes through admission and the shared job queue. */
export type QueuedSlackJob = DescribeJob | ImagineJob;

/**
 * The admission request for a job. The Slack job travels as JSON in the payload, so the stored job
 * is plain data that a restarted process can run.
 */
export function toJobRequest(job: QueuedSlackJob): NewJob {
  return {
    command: job.command,
    platform: 'slack',
    guildId: job.target.teamId,
    channelId: job.target.channelId,
    userId: job.target.userId,
    ...(job.target.interactionId === undefined ? {} : { requestId: job.target.interactionId }),
    payload: { slack: JSON.parse(JSON.stringify(job)) as JsonValue },
  };
}

/** The Slack job stored in a queued job, with the queue's job id. */
export function fromQueuedJob(job: Job): QueuedSlackJob {
  const stored = job.payload.slack as unknown as QueuedSlackJob;
  return { ...stored, jobId: job.id };
}
