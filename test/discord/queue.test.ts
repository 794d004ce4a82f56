import { readFile } from 'node:fs/promises';
import { type APIMessage, ChannelType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anchorBecomes,
  fixture,
  type Harness,
  jobEnded,
  type LogLine,
  refusalOf,
  startHarness,
} from './harness.js';
import { newSnowflake } from './server/snowflake.js';
import type { InteractionRecord } from './server/state.js';
import { newUser, pressButton, runSlashCommand, type TestUser } from './server/users.js';

function buttonId(message: APIMessage | undefined, label: string): string {
  const rows = (message?.components ?? []) as unknown as Array<{
    components: Array<{ label: string; custom_id: string }>;
  }>;
  const button = rows.flatMap((row) => row.components).find((component) => component.label === label);
  if (!button) throw new Error(`No ${label} button`);
  return button.custom_id;
}

describe('Discord queue', () => {
  let harness: Harness;
  let image: Buffer;
  let otherGuildChannel: string;

  beforeAll(async () => {
    image = await readFile(fixture('waterview.jpg'));
    harness = await startHarness({
      env: { OLLAMA_CONCURRENCY: '1' },
      scenario: { firstTokenDelayMs: 250, tokenDelayMs: 2 },
      prepare(discord) {
        // A channel of a second guild, which the bot sees only through its interactions.
        otherGuildChannel = discord.state.addChannel(ChannelType.GuildText, { guild_id: newSnowflake() }).id;
      },
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const describeAs = (user: TestUser, channelId = harness.channelId): InteractionRecord =>
    runSlashCommand(
      harness.discord,
      { channelId, user },
      'describe',
      {},
      { image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image } },
    );
  const admitted = (interaction: InteractionRecord) =>
    harness.waitForLog((line) => line.interaction === interaction.id && line.msg === 'job admitted');

  it('caps queued jobs per user and cancels for the requester only', async () => {
    const user = newUser('queuer');
    const running = describeAs(user);
    await admitted(running);
    const queued = describeAs(user);
    await admitted(queued);
    const last = describeAs(user);
    await admitted(last);
    const refused = describeAs(user);
    expect(await refusalOf(harness, refused)).toContain('You already have 2 requests waiting');

    const anchorText = await anchorBecomes(harness, last, (content) => content.includes('Queued: position'));
    expect(anchorText).toMatch(/position 2, estimated start <t:\d+:R>/);
    const anchor = harness.discord.state.messages.get(last.originalMessageId ?? '');
    const cancelId = buttonId(anchor, 'Cancel');

    const stranger = pressButton(
      harness.discord,
      { channelId: harness.channelId, user: newUser('mallory') },
      anchor as APIMessage,
      cancelId,
    );
    await harness.discord.waitForCall((call) => call.path.includes(`/interactions/${stranger.id}/`));
    expect(stranger.ephemeral).toBe(true);
    expect(harness.discord.state.messages.get(stranger.originalMessageId ?? '')?.content).toContain(
      'Only the person who asked for this can cancel it',
    );

    pressButton(harness.discord, { channelId: harness.channelId, user }, anchor as APIMessage, cancelId);
    const cancelled = await anchorBecomes(harness, last, (content) => content.startsWith('Cancelled'));
    expect(cancelled).toContain(`<@${user.id}>`);
    expect(harness.discord.state.messages.get(last.originalMessageId ?? '')?.components).toEqual([]);

    await jobEnded(harness, running.id);
    await jobEnded(harness, queued.id);
  });

  it('starts a quiet guild’s job before a flooding guild’s backlog', async () => {
    const flooders = [newUser('a1'), newUser('a2'), newUser('a3'), newUser('a4')];
    const flood: InteractionRecord[] = [];
    for (const user of flooders) {
      for (let round = 0; round < 2; round++) {
        const interaction = describeAs(user);
        flood.push(interaction);
        await admitted(interaction);
      }
    }
    const quiet = describeAs(newUser('quiet'), otherGuildChannel);
    const quietAdmitted = await admitted(quiet);
    const quietJob = String(quietAdmitted.job);

    const quietStarted = await harness.waitForLog(
      (line) => line.msg === 'Job started' && line.job === quietJob,
    );
    const startsBetween = harness.logs.filter(
      (line: LogLine) =>
        line.msg === 'Job started' &&
        Number(line.time) >= Number(quietAdmitted.time) &&
        Number(line.time) <= Number(quietStarted.time),
    );
    // Only the quiet guild's own start: no flooding job started between its admission and its start.
    expect(startsBetween.map((line) => line.job)).toEqual([quietJob]);
    await jobEnded(harness, quiet.id);
    const waitMs = Number(quietStarted.time) - quiet.createdAt;
    process.stdout.write(
      `discord fairness: quiet guild waited ${waitMs} ms behind ${flood.length} queued jobs of another guild (OLLAMA_CONCURRENCY=1)\n`,
    );
  });
});
