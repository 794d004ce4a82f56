import { readFile } from 'node:fs/promises';
import { ChannelType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESCRIBE_MENU_NAME } from '../../adapters/discord/commandDefinitions.js';
import { fixture, type Harness, jobEnded, startHarness } from './harness.js';
import type { InteractionRecord } from './server/state.js';
import { postUserMessage, runMessageMenu, runSlashCommand } from './server/users.js';

// Enough tokens for a few seconds of streaming past Discord's 2000-character limit.
const LONG_ANSWER = Array.from(
  { length: 90 },
  (_, index) => `Sentence ${index + 1} about the pier and the lake. `,
);

describe('Discord streaming', () => {
  let harness: Harness;
  let image: Buffer;
  let dmChannel: string;
  const acknowledgeMs: number[] = [];

  beforeAll(async () => {
    image = await readFile(fixture('waterview.jpg'));
    harness = await startHarness({
      // A short token lifetime, so the expiry test waits 1.5 s instead of 15 minutes.
      interactionTtlMs: 1_500,
      prepare(discord) {
        discord.settings.tokenTtlMs = 1_500;
        dmChannel = discord.state.addChannel(ChannelType.DM).id;
      },
    });
  });
  afterAll(async () => {
    process.stdout.write(
      `discord figures: acknowledgement ms ${JSON.stringify(acknowledgeMs)}, edits ${JSON.stringify(editCounts)}\n`,
    );
    await harness?.close();
  });

  const editCounts: Record<string, number[]> = {};
  function recordEdits(label: string, channelId: string, since: number): number[] {
    const messages = harness.discord
      .channelMessages(channelId)
      .filter((message) => Date.parse(message.timestamp) >= since - 1000);
    const counts = messages.map(
      (message) =>
        harness.discord.calls.filter(
          (call) =>
            call.method === 'PATCH' && call.status === 200 && call.path.endsWith(`/messages/${message.id}`),
        ).length,
    );
    editCounts[label] = counts;
    return counts;
  }
  function acknowledged(interaction: InteractionRecord): void {
    if (interaction.acknowledgedAt !== undefined)
      acknowledgeMs.push(interaction.acknowledgedAt - interaction.createdAt);
  }

  it('splits a long answer past 2000 characters', async () => {
    harness.ollama.scenario = { tokens: LONG_ANSWER, tokenDelayMs: 10 };
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user },
      'describe',
      {},
      {
        image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image },
      },
    );
    await jobEnded(harness, interaction.id);
    acknowledged(interaction);
    const messages = harness.discord.channelMessages(interaction.originalMessageId ?? '');
    expect(messages.length).toBe(2);
    for (const message of messages) expect(message.content.length).toBeLessThanOrEqual(2000);
    expect(messages.map((message) => message.content).join(' ')).toContain('Sentence 90 about the pier');
    expect(messages[0]?.content.endsWith('lake.')).toBe(true);
    recordEdits('long answer', interaction.originalMessageId ?? '', interaction.createdAt);
  });

  it('keeps the latest text through 429 on edits', async () => {
    harness.ollama.scenario = { tokens: LONG_ANSWER.slice(0, 30), tokenDelayMs: 15 };
    harness.discord.faults.rateLimits.push({
      method: 'PATCH',
      path: /^\/channels\/\d+\/messages\/\d+$/,
      limit: 1,
      windowMs: 400,
    });
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user },
      'describe',
      {},
      {
        image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image },
      },
    );
    await jobEnded(harness, interaction.id);
    harness.discord.faults.rateLimits.length = 0;
    acknowledged(interaction);
    const threadId = interaction.originalMessageId ?? '';
    const limited = harness.discord.calls.filter(
      (call) => call.status === 429 && call.path.startsWith(`/channels/${threadId}/`),
    );
    expect(limited.length).toBeGreaterThan(0);
    const [message] = harness.discord.channelMessages(threadId);
    expect(message?.content).toContain('Sentence 30 about the pier');
    recordEdits('429 on edits', threadId, interaction.createdAt);
  });

  it('describes every image of a message from the menu', async () => {
    harness.ollama.scenario = { tokenDelayMs: 5 };
    const target = postUserMessage(harness.discord, harness.channelId, harness.user, 'two photos', {
      attachments: [
        { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image },
        {
          filename: 'flowers.jpeg',
          contentType: 'image/jpeg',
          data: await readFile(fixture('flowers.jpeg')),
        },
      ],
    });
    const interaction = runMessageMenu(
      harness.discord,
      { channelId: harness.channelId, user: harness.user },
      DESCRIBE_MENU_NAME,
      target,
    );
    await jobEnded(harness, interaction.id);
    acknowledged(interaction);
    const messages = harness.discord.channelMessages(interaction.originalMessageId ?? '');
    expect(messages.map((message) => message.content.split('\n')[0])).toEqual([
      '**Image 1 of 2** (waterview.jpg)',
      '**Image 2 of 2** (flowers.jpeg)',
    ]);
  });

  it('answers a follow-up question with the conversation', async () => {
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user },
      'describe',
      {},
      {
        image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image },
      },
    );
    await jobEnded(harness, interaction.id);
    const threadId = interaction.originalMessageId ?? '';
    harness.ollama.scenario = { text: 'The sky is pale blue.', tokenDelayMs: 5 };
    const chatsBefore = harness.ollama.chats.length;
    postUserMessage(
      harness.discord,
      threadId,
      harness.user,
      `<@${harness.discord.state.botUser.id}> what colour is the sky?`,
      {
        mentionBot: true,
      },
    );
    await harness.waitForLog((line) => line.command === 'follow-up' && line.msg === 'answer streamed');
    const chat = harness.ollama.chats[chatsBefore];
    expect(chat?.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(chat?.messages[0]?.imageMagic).toEqual(['jpeg']);
    expect(chat?.messages[2]?.content).toContain('what colour is the sky?');
    expect(harness.discord.channelMessages(threadId).at(-1)?.content).toBe('The sky is pale blue.');
  });

  it('posts as a normal message after the token expires', async () => {
    harness.ollama.scenario = { firstTokenDelayMs: 1_600, tokenDelayMs: 5 };
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: dmChannel, user: harness.user },
      'describe',
      {},
      {
        image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image },
      },
    );
    await jobEnded(harness, interaction.id);
    harness.ollama.scenario = { tokenDelayMs: 5 };
    const messages = harness.discord.channelMessages(dmChannel);
    expect(messages.at(-2)?.content).toContain('posted as a normal message');
    expect(messages.at(-1)?.content).toContain('A wooden pier');
    const viaChannel = harness.discord.calls.filter(
      (call) => call.method === 'POST' && call.path === `/channels/${dmChannel}/messages`,
    );
    expect(viaChannel.length).toBe(2);
    const anchor = harness.discord.state.messages.get(interaction.originalMessageId ?? '');
    expect(anchor?.content).toContain('Described an image');
  });
});
