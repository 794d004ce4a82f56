import type { LocalDiscord, RecordedCall } from '../../test/discord/server/localDiscord.js';
import type { InteractionRecord } from '../../test/discord/server/state.js';
import { maxInWindow } from '../stats.js';

const CHANNEL_MESSAGE = /^\/channels\/(\d+)\/messages(?:\/(\d+))?$/;
const WEBHOOK_MESSAGE = /^\/webhooks\/\d+\/([^/]+)\/messages\/([^/]+)$/;

/**
 * Per-channel message limit the local Discord enforces: 5 creates or edits per 5 s per route and channel.
 * Discord does not publish this limit, so it is an estimate of what bots observe.
 */
export const MESSAGE_LIMIT = { limit: 5, windowMs: 5_000 };

/**
 * Makes the local Discord answer 429 as Discord does when a bot posts or edits more than 5 messages
 * per 5 s in one channel, or through one interaction's webhook. Thread creation and interaction
 * callbacks are not limited here.
 */
export function enforceMessageLimits(discord: LocalDiscord): void {
  discord.faults.rateLimits.push(
    { method: 'POST', path: /^\/channels\/\d+\/messages$/, ...MESSAGE_LIMIT },
    { method: 'PATCH', path: /^\/channels\/\d+\/messages\/\d+$/, ...MESSAGE_LIMIT },
    { method: 'POST', path: /^\/webhooks\/\d+\/[^/]+$/, ...MESSAGE_LIMIT },
    { method: 'PATCH', path: /^\/webhooks\/\d+\/[^/]+\/messages\/[^/]+$/, ...MESSAGE_LIMIT },
  );
}

/** A successful message edit, with the channel and message it changed. */
export interface MessageEdit {
  channelId: string;
  messageId: string;
  at: number;
}

/**
 * Lists the successful message edits among `calls`: channel routes directly, and webhook routes through
 * the interaction whose token they carry (`@original` is that interaction's first message).
 */
export function messageEdits(
  calls: readonly RecordedCall[],
  interactions: readonly InteractionRecord[],
): MessageEdit[] {
  const byToken = new Map(interactions.map((record) => [record.token, record]));
  const edits: MessageEdit[] = [];
  for (const call of calls) {
    if (call.method !== 'PATCH' || call.status !== 200) continue;
    const channel = CHANNEL_MESSAGE.exec(call.path);
    if (channel?.[2] !== undefined) {
      edits.push({ channelId: channel[1] as string, messageId: channel[2], at: call.at });
      continue;
    }
    const webhook = WEBHOOK_MESSAGE.exec(call.path);
    const record = webhook ? byToken.get(webhook[1] as string) : undefined;
    if (!webhook || !record) continue;
    const messageId = webhook[2] === '@original' ? (record.originalMessageId ?? '') : (webhook[2] as string);
    edits.push({ channelId: record.channelId, messageId, at: call.at });
  }
  return edits;
}

/** Time of the first successful message create in a channel, or undefined when there is none. */
export function firstMessageCreate(calls: readonly RecordedCall[], channelId: string): number | undefined {
  const path = `/channels/${channelId}/messages`;
  return calls.find((call) => call.method === 'POST' && call.path === path && call.status === 200)?.at;
}

/** Counts the largest number of edits one channel received in any window of `windowMs`. */
export function maxEditsPerChannelWindow(edits: readonly MessageEdit[], windowMs: number): number {
  const byChannel = new Map<string, number[]>();
  for (const edit of edits) {
    const times = byChannel.get(edit.channelId) ?? [];
    times.push(edit.at);
    byChannel.set(edit.channelId, times);
  }
  let best = 0;
  for (const times of byChannel.values()) best = Math.max(best, maxInWindow(times, windowMs));
  return best;
}

/** Returns a call's route with ids and tokens replaced, e.g. `PATCH /webhooks/:id/:token/messages/@original`. */
function routeShape(call: RecordedCall): string {
  const path = call.path
    .replace(/\/(webhooks|interactions)\/\d+\/[^/]+/, '/$1/:id/:token')
    .replace(/\d{15,}/g, ':id');
  return `${call.method} ${path}`;
}

/** Calls per route shape: all of them and the 429 answers, with the totals. */
export function callsByRoute(calls: readonly RecordedCall[]): {
  total: number;
  limited: number;
  byRoute: Record<string, { calls: number; limited: number }>;
} {
  const byRoute: Record<string, { calls: number; limited: number }> = {};
  let limited = 0;
  for (const call of calls) {
    const route = routeShape(call);
    const counts = byRoute[route] ?? { calls: 0, limited: 0 };
    counts.calls++;
    if (call.status === 429) {
      counts.limited++;
      limited++;
    }
    byRoute[route] = counts;
  }
  return { total: calls.length, limited, byRoute };
}

/** discord.js's default global limit: REST calls per second, interaction callbacks excepted. */
export const DISCORD_JS_GLOBAL_PER_SECOND = 50;

/**
 * Counts the whole seconds in which the local Discord received at least 90 % of discord.js's global
 * limit in calls other than interaction callbacks (which discord.js does not count against it). Many
 * such seconds mean the bot's calls queue inside discord.js rather than at Discord.
 */
export function secondsNearGlobalLimit(calls: readonly RecordedCall[]): { seconds: number; of: number } {
  const perSecond = new Map<number, number>();
  for (const call of calls) {
    if (call.path.endsWith('/callback')) continue;
    const second = Math.floor(call.at / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  const threshold = DISCORD_JS_GLOBAL_PER_SECOND * 0.9;
  const seconds = [...perSecond.values()].filter((count) => count >= threshold).length;
  return { seconds, of: perSecond.size };
}
