import type { LocalDiscord } from '../../test/discord/server/localDiscord.js';
import type { InteractionRecord } from '../../test/discord/server/state.js';
import { newUser, runSlashCommand } from '../../test/discord/server/users.js';
import type { LocalHuggingFace } from '../../test/servers/huggingface.js';
import { type Distribution, distribution } from '../stats.js';
import type { BotProcess } from './botProcess.js';
import type { BenchGuild } from './guilds.js';
import { dispatchSpread, waitForClosing } from './load.js';

export interface ImagineLoad {
  count: number;
  spreadMs: number;
  guilds: BenchGuild[];
  timeoutMs: number;
}

export interface SentImagine {
  index: number;
  guildIndex: number;
  record: InteractionRecord;
}

const promptOf = (index: number) => `a lighthouse at dusk, oil painting, request ${index}`;
const REQUEST_MARK = /request (\d+)/;

/**
 * Sends the `/imagine` interactions guild by guild: all of the first guild's, then the second's, and so
 * on, spread over `spreadMs`. A first-come-first-served queue would make the last guild wait longest;
 * a fair one gives every guild a similar wait. Then waits until the bot has closed every one.
 */
export async function runImagineLoad(
  discord: LocalDiscord,
  bot: BotProcess,
  load: ImagineLoad,
): Promise<{ sent: SentImagine[]; open: string[] }> {
  const perGuild = Math.ceil(load.count / load.guilds.length);
  const sent: SentImagine[] = [];
  await dispatchSpread(load.count, load.spreadMs, (index) => {
    const guildIndex = Math.min(load.guilds.length - 1, Math.floor(index / perGuild));
    const guild = load.guilds[guildIndex] as BenchGuild;
    const record = runSlashCommand(
      discord,
      { channelId: guild.channelId, user: newUser(`painter${index}`) },
      'imagine',
      { prompt: promptOf(index) },
    );
    sent.push({ index, guildIndex, record });
  });
  const open = await waitForClosing(
    bot.logs,
    sent.map((item) => item.record.id),
    load.timeoutMs,
  );
  return { sent, open };
}

export interface ImagineFigures {
  interactions: number;
  ackMs: Distribution;
  /** INTERACTION_CREATE sent → the image model received the request, in ms, per guild in send order. */
  waitMsPerGuild: Array<{ guild: number; wait: Distribution }>;
  /** Largest guild median wait over the smallest; 1 is perfectly even. */
  guildWaitSpread: number;
  complete: number;
  lost: number;
  lostIds: string[];
}

/** Computes the `/imagine` figures from the local Discord's records and the local Hugging Face's requests. */
export function imagineFigures(
  discord: LocalDiscord,
  hf: LocalHuggingFace,
  sent: readonly SentImagine[],
  closedOk: ReadonlySet<string>,
): ImagineFigures {
  const receivedAt = new Map<number, number>();
  for (const generation of hf.generations) {
    const mark = REQUEST_MARK.exec(generation.inputs);
    if (mark && !receivedAt.has(Number(mark[1]))) receivedAt.set(Number(mark[1]), generation.receivedAt);
  }

  const waits = new Map<number, number[]>();
  const ackMs: number[] = [];
  const lostIds: string[] = [];
  for (const { index, guildIndex, record } of sent) {
    if (record.acknowledgedAt !== undefined) ackMs.push(record.acknowledgedAt - record.createdAt);
    const started = receivedAt.get(index);
    if (started !== undefined)
      waits.set(guildIndex, [...(waits.get(guildIndex) ?? []), started - record.createdAt]);

    const threadId = record.originalMessageId;
    const inThread = threadId !== undefined && discord.state.channels.has(threadId);
    const posted =
      inThread && discord.channelMessages(threadId).some((message) => message.attachments.length > 0);
    if (closedOk.has(record.id) && (!inThread || posted)) continue;
    lostIds.push(record.id);
  }

  const waitMsPerGuild = [...waits.entries()]
    .sort(([a], [b]) => a - b)
    .map(([guild, values]) => ({ guild: guild + 1, wait: distribution(values) }));
  const medians = waitMsPerGuild.map((item) => item.wait.p50);
  return {
    interactions: sent.length,
    ackMs: distribution(ackMs),
    waitMsPerGuild,
    guildWaitSpread:
      medians.length === 0 ? Number.NaN : Math.max(...medians) / Math.max(1, Math.min(...medians)),
    complete: sent.length - lostIds.length,
    lost: lostIds.length,
    lostIds: lostIds.slice(0, 20),
  };
}
