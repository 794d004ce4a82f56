import { randomUUID } from 'node:crypto';

export type JobCommand = 'describe' | 'imagine';
export type JobPlatform = 'discord' | 'slack' | 'cli';
/** A model backend with its own concurrency limit. */
export type Backend = 'ollama' | 'huggingface';

/** JSON-compatible data, so a job survives the store and a restart unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * One `/describe` or `/imagine` request, as plain serialisable data. The queue persists it while it
 * is queued or running and hands it back to the platform's handlers, so `payload` must carry
 * everything needed to run or resume it (options, and the ids of the interaction, thread or anchor message).
 */
export interface Job {
  id: string;
  command: JobCommand;
  platform: JobPlatform;
  /** Discord guild id or Slack team (workspace) id. */
  guildId: string;
  channelId: string;
  userId: string;
  /** The platform request that created the job (Discord interaction id, Slack event or trigger id), for log lines. */
  requestId?: string;
  payload: { [key: string]: JsonValue };
  /** When the request was accepted, in epoch milliseconds. */
  createdAt: number;
  state: 'queued' | 'running';
  /** When the job last started running, in epoch milliseconds. */
  startedAt?: number;
}

export type NewJob = Omit<Job, 'id' | 'createdAt' | 'state' | 'startedAt'>;

/** Creates a queued job with a fresh id. */
export function createJob(input: NewJob, now: number = Date.now()): Job {
  return { ...input, id: randomUUID(), createdAt: now, state: 'queued' };
}

/** The backend that runs a command: `/describe` runs on Ollama, `/imagine` on Hugging Face. */
export function backendFor(command: JobCommand): Backend {
  return command === 'describe' ? 'ollama' : 'huggingface';
}

export function guildKey(job: Pick<Job, 'platform' | 'guildId'>): string {
  return `${job.platform}:${job.guildId}`;
}

export function userKey(job: Pick<Job, 'platform' | 'userId'>): string {
  return `${job.platform}:${job.userId}`;
}
