import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { fixture, type Harness, jobEnded, type LogLine } from '../discord/harness.js';
import type { InteractionRecord } from '../discord/server/state.js';
import { type InteractionContext, runSlashCommand } from '../discord/server/users.js';

/** Pino's number for the `info` level. */
export const INFO = 30;
/** Pino's number for the `warn` level. */
export const WARN = 40;

let waterview: Buffer | undefined;

/** Runs `/describe` on waterview.jpg in the harness's channel; returns the interaction. */
export async function describeWaterview(
  harness: Harness,
  context: Partial<InteractionContext> = {},
): Promise<InteractionRecord> {
  waterview ??= await readFile(fixture('waterview.jpg'));
  return runSlashCommand(
    harness.discord,
    { channelId: harness.channelId, user: harness.user, ...context },
    'describe',
    {},
    { image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: waterview } },
  );
}

/** Runs `/imagine` with `prompt` in the harness's channel; returns the interaction. */
export function imagineIn(harness: Harness, prompt: string): InteractionRecord {
  return runSlashCommand(harness.discord, { channelId: harness.channelId, user: harness.user }, 'imagine', {
    prompt,
  });
}

/** The content of an interaction's anchor: the reply that shows the job's status. */
export function anchorOf(harness: Harness, interaction: InteractionRecord): string {
  return harness.discord.state.messages.get(interaction.originalMessageId ?? '')?.content ?? '';
}

/** Waits for the first log line of this interaction with `code` and checks its level and ids. */
export async function expectLoggedCode(
  harness: Harness,
  interaction: InteractionRecord,
  code: string,
  level = WARN,
): Promise<LogLine> {
  const line = await harness.waitForLog(
    (entry) => entry.interaction === interaction.id && entry.code === code,
    5_000,
  );
  expect(line.level).toBe(level);
  expect(line.platform).toBe('discord');
  expect(line.user).toBe(harness.user.id);
  expect(line.channel).toBe(interaction.channelId);
  expect(line.guild).toBe(harness.discord.state.guildId);
  expect(line.job).toBeTypeOf('string');
  return line;
}

/** Waits for the job to end, then checks nothing is left half-done: anchor, queue and model streams. */
export async function expectSettled(harness: Harness, interaction: InteractionRecord): Promise<LogLine> {
  const ended = await jobEnded(harness, interaction.id);
  await harness.jobs.queue.idle();
  expect(anchorOf(harness, interaction)).not.toContain('Working…');
  expect(
    harness.jobs.queue.counts({
      platform: 'discord',
      guildId: harness.discord.state.guildId,
      userId: harness.user.id,
    }),
  ).toEqual({ guildQueued: 0, userQueued: 0, userRunning: 0 });
  await expect.poll(() => harness.ollama.openStreams).toBe(0);
  return ended;
}

/** Runs a plain `/describe` and checks the bot answers it in full: the bot keeps serving. */
export async function expectNextDescribeWorks(harness: Harness): Promise<void> {
  const previous = harness.ollama.scenario;
  harness.ollama.scenario = { tokenDelayMs: 2 };
  const interaction = await describeWaterview(harness);
  const ended = await expectSettled(harness, interaction);
  harness.ollama.scenario = previous;
  expect(ended.msg).toBe('job done');
  const thread = interaction.originalMessageId ?? '';
  expect(harness.discord.channelMessages(thread).at(-1)?.content).toContain('A wooden pier');
}

/** Runs a plain `/imagine` and checks the image is posted: the bot keeps serving. */
export async function expectNextImagineWorks(harness: Harness): Promise<void> {
  const interaction = imagineIn(harness, 'a lighthouse at dusk');
  const ended = await expectSettled(harness, interaction);
  expect(ended.msg).toBe('job done');
  const posted = harness.discord.calls.filter(
    (call) => call.method === 'POST' && call.files.length > 0 && call.at >= interaction.createdAt,
  );
  expect(posted.length).toBeGreaterThan(0);
}
