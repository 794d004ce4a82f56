import type { Job } from './job.js';

/** What a running job reports, for the anchor message. */
export interface JobProgress {
  /** Short text such as "Model is loading" or "Image 2 of 4". */
  message?: string;
  /** Share of the work done, from 0 to 1. */
  fraction?: number;
}

/**
 * Runs one job. The queue calls it when the job's turn comes, with a signal that fires when the
 * requester cancels. It should answer the user itself (result or error) and resolve; a rejection is
 * logged by the queue as a failed job but nothing is sent to the user.
 */
export type JobHandler = (
  job: Job,
  signal: AbortSignal,
  progress: (update: JobProgress) => void,
) => Promise<void>;

/**
 * Decides what happens to a job found in the store after a restart. `wasRunning` is true when the job
 * had started before the restart. Return `'requeue'` when its interaction or thread can still be
 * answered (the job goes back into the queue), or `'interrupted'` after editing its anchor to say it
 * was interrupted and can be retried (the job is then deleted). A rejection counts as `'interrupted'`.
 */
export type ResumeHandler = (
  job: Job,
  context: { wasRunning: boolean },
) => Promise<'requeue' | 'interrupted'>;

/** What a platform adapter registers with the queue. */
export interface PlatformHandlers {
  run: JobHandler;
  resume: ResumeHandler;
}
