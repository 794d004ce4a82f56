import type { webApi } from '@slack/bolt';
import type { IrisCore } from '../../src/core/createCore.js';
import type { JobSystem } from '../../src/queue/createJobSystem.js';
import type { EventDedupe } from './EventDedupe.js';
import type { GeneratedImages } from './GeneratedImages.js';
import type { InterruptedJobs } from './InterruptedJobs.js';
import type { StatusMessages } from './StatusMessages.js';
import type { WorkspacePacers } from './WorkspacePacers.js';

/** The clients, stores and settings every Slack handler and job shares. */
export interface SlackContext {
  core: IrisCore;
  client: webApi.WebClient;
  botToken: string;
  /** The bot's user id from auth.test, to tell its own thread messages apart. */
  botUserId: string;
  dedupe: EventDedupe;
  generatedImages: GeneratedImages;
  /** Jobs a restart interrupted, behind their Retry buttons. */
  interruptedJobs: InterruptedJobs;
  /** Thread status messages of queued jobs, so a restart edits them instead of leaving them stale. */
  statusMessages: StatusMessages;
  /** The process's stores, workspace settings, admission and job queue. */
  jobSystem: JobSystem;
  /** Paces `chat.update` of streamed answers per workspace. */
  updatePacers: WorkspacePacers;
  /** Aborted when the adapter stops, so running jobs end. */
  signal: AbortSignal;
}
