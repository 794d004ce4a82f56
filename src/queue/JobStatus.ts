import type { JobProgress } from './handlers.js';
import type { Job } from './job.js';

/** Where a job stands, as observers and `status()` see it. */
export type JobStatus =
  | {
      state: 'queued';
      job: Job;
      /** 1 for the next job to start on its backend. */
      position: number;
      /** An estimate from recent job durations, in milliseconds; 0 when a slot is free. */
      estimatedWaitMs: number;
    }
  | { state: 'running'; job: Job; startedAt: number; progress: JobProgress | undefined }
  /** Final states: the job has left the queue and the store. */
  | { state: 'finished' | 'failed' | 'cancelled' | 'interrupted'; job: Job };
