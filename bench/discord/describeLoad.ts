import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LocalDiscord } from '../../test/discord/server/localDiscord.js';
import type { InteractionRecord } from '../../test/discord/server/state.js';
import { newUser, runSlashCommand } from '../../test/discord/server/users.js';
import type { LocalOllama } from '../../test/servers/ollama.js';
import { type Distribution, distribution } from '../stats.js';
import type { BotProcess } from './botProcess.js';
import { firstMessageCreate, type MessageEdit } from './discordCalls.js';
import type { BenchGuild } from './guilds.js';
import { dispatchSpread, waitForClosing } from './load.js';

/** An image the users attach to `/describe`. */
export interface BenchImage {
  filename: string;
  data: Buffer;
  /** CPU time the normaliser spends on this image, in ms, measured in the bench process. */
  decodeCpuMs: number;
}

export interface DescribeLoad {
  count: number;
  spreadMs: number;
  guilds: BenchGuild[];
  images: BenchImage[];
  /** The model's whole answer, which each final message must contain. */
  answer: string;
  timeoutMs: number;
}

/** Result of one `/describe` load run. */
export interface DescribeRun {
  sent: SentDescribe[];
  /** Bot CPU time over the run, in ms. */
  cpuMs: number;
  wallMs: number;
  /** Interactions without a closing log line at the timeout. */
  open: string[];
  /** Event-loop delay of the bench process during the run, in ms. */
  benchLoopDelayMs: { p50: number; p99: number; max: number };
}

export interface SentDescribe {
  index: number;
  record: InteractionRecord;
  image: BenchImage;
}

/** Marks the question of request `index`, so its model call can be told apart from the others. */
const questionOf = (index: number) => `What is in this picture? (request ${index})`;
const REQUEST_MARK = /\(request (\d+)\)/;

/**
 * Sends the `/describe` interactions, each from a new user, spread over `spreadMs`, round-robin over the
 * guilds and images, then waits until the bot has closed every one. Returns what was sent, the bot's
 * CPU time over the whole phase and the interactions still open at the timeout.
 */
export async function runDescribeLoad(
  discord: LocalDiscord,
  bot: BotProcess,
  load: DescribeLoad,
): Promise<DescribeRun> {
  const sent: SentDescribe[] = [];
  // The bench process serves Discord, Ollama and the CDN: its own event-loop delay bounds how exactly
  // it stamps the times the figures are made of.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuBefore = bot.cpuMs();
  const startedAt = Date.now();
  await dispatchSpread(load.count, load.spreadMs, (index) => {
    const guild = load.guilds[index % load.guilds.length] as BenchGuild;
    const image = load.images[index % load.images.length] as BenchImage;
    const record = runSlashCommand(
      discord,
      { channelId: guild.channelId, user: newUser(`user${index}`) },
      'describe',
      { question: questionOf(index) },
      { image: { filename: image.filename, contentType: 'image/jpeg', data: image.data } },
    );
    sent.push({ index, record, image });
  });
  const open = await waitForClosing(
    bot.logs,
    sent.map((item) => item.record.id),
    load.timeoutMs,
  );
  loopDelay.disable();
  return {
    sent,
    cpuMs: bot.cpuMs() - cpuBefore,
    wallMs: Date.now() - startedAt,
    open,
    benchLoopDelayMs: {
      p50: loopDelay.percentile(50) / 1e6,
      p99: loopDelay.percentile(99) / 1e6,
      max: loopDelay.max / 1e6,
    },
  };
}

export interface DescribeFigures {
  interactions: number;
  /** INTERACTION_CREATE sent → interaction callback received by the local Discord, in ms. */
  ackMs: Distribution;
  /** First answer text visible on Discord minus the model's first token, in ms. */
  firstTextOverheadMs: Distribution;
  /** Successful edits of each streamed answer message. */
  editsPerMessage: Distribution;
  threads: number;
  complete: number;
  lost: number;
  lostIds: string[];
  /** Bot CPU over the phase, in ms, and per describe with and without the normaliser's share. */
  cpuMsTotal: number;
  cpuMsPerDescribeWithDecode: number;
  cpuMsPerDescribe: number;
  wallMs: number;
  benchLoopDelayMs: DescribeRun['benchLoopDelayMs'];
}

/** Computes the `/describe` figures from the local Discord's records and the local Ollama's chats. */
export function describeFigures(
  discord: LocalDiscord,
  ollama: LocalOllama,
  edits: readonly MessageEdit[],
  load: DescribeLoad,
  result: DescribeRun,
  closedOk: ReadonlySet<string>,
): DescribeFigures {
  const firstTokenAt = new Map<number, number>();
  for (const chat of ollama.chats) {
    const mark = REQUEST_MARK.exec(chat.messages.at(-1)?.content ?? '');
    if (mark && chat.firstTokenAt !== undefined) firstTokenAt.set(Number(mark[1]), chat.firstTokenAt);
  }
  const editsByMessage = new Map<string, number>();
  for (const edit of edits) editsByMessage.set(edit.messageId, (editsByMessage.get(edit.messageId) ?? 0) + 1);

  const ackMs: number[] = [];
  const overheadMs: number[] = [];
  const editCounts: number[] = [];
  const lostIds: string[] = [];
  let threads = 0;
  let complete = 0;
  for (const { index, record } of result.sent) {
    if (record.acknowledgedAt !== undefined) ackMs.push(record.acknowledgedAt - record.createdAt);
    const threadId = record.originalMessageId;
    const inThread = threadId !== undefined && discord.state.channels.has(threadId);
    if (inThread) threads++;

    const messages = inThread ? discord.channelMessages(threadId) : [];
    const shown = firstMessageCreate(discord.calls, threadId ?? '');
    const token = firstTokenAt.get(index);
    if (shown !== undefined && token !== undefined) overheadMs.push(shown - token);
    for (const message of messages) editCounts.push(editsByMessage.get(message.id) ?? 0);

    const text = messages.map((message) => message.content).join('');
    const done = closedOk.has(record.id) && (!inThread || text.includes(load.answer));
    if (done) complete++;
    else lostIds.push(record.id);
  }

  const decodeMs = result.sent.reduce((sum, item) => sum + item.image.decodeCpuMs, 0);
  return {
    interactions: result.sent.length,
    ackMs: distribution(ackMs),
    firstTextOverheadMs: distribution(overheadMs),
    editsPerMessage: distribution(editCounts),
    threads,
    complete,
    lost: lostIds.length,
    lostIds: lostIds.slice(0, 20),
    cpuMsTotal: result.cpuMs,
    cpuMsPerDescribeWithDecode: result.cpuMs / Math.max(1, result.sent.length),
    cpuMsPerDescribe: (result.cpuMs - decodeMs) / Math.max(1, result.sent.length),
    wallMs: result.wallMs,
    benchLoopDelayMs: result.benchLoopDelayMs,
  };
}
