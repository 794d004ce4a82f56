import type { Job, JsonValue, NewJob } from '../../src/queue/job.js';
import type { DiscordJob } from './job.js';

/** A follow-up question in a describe thread, as plain data for the queue. */
export interface FollowUpJob {
  ids: {
    guild: string | undefined;
    /** The describe thread, where the answer goes. */
    thread: string;
    user: string;
    /** The user's message with the question. */
    message: string;
  };
  /** The question with the bot mention removed; undefined when the message held only the mention. */
  question: string | undefined;
}

/** What a Discord job carries through the queue and the store. */
export type DiscordQueuePayload =
  | { kind: 'interaction'; job: DiscordJob }
  | { kind: 'follow-up'; job: FollowUpJob };

/** Where admission counts a request: the guild (or the user's DMs) and the channel its allow-list sees. */
export interface AdmissionScope {
  /** The guild id; in DMs `dm-<user id>`, so each user's DMs have their own budget. */
  guildId: string;
  /** The channel the allow-list checks: the parent channel for threads. */
  channelId: string;
}

/** The admission request for a job; the payload is a JSON copy, exactly what the store keeps. */
export function queueRequest(payload: DiscordQueuePayload, scope: AdmissionScope, userId: string): NewJob {
  return {
    command: payload.kind === 'follow-up' ? 'describe' : payload.job.command,
    platform: 'discord',
    guildId: scope.guildId,
    channelId: scope.channelId,
    userId,
    payload: JSON.parse(JSON.stringify(payload)) as { [key: string]: JsonValue },
  };
}

/** Reads a queued job's payload back, with the queue's job id as the job's id. */
export function payloadOf(job: Job): DiscordQueuePayload {
  const payload = structuredClone(job.payload) as unknown as DiscordQueuePayload;
  if (payload.kind === 'interaction') payload.job.ids.job = job.id;
  return payload;
}

/** The guild id admission uses; DMs count per user. */
export function admissionGuildId(guildId: string | null | undefined, userId: string): string {
  return guildId ?? `dm-${userId}`;
}
