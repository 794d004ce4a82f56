import { readFile } from 'node:fs/promises';
import { Events, type Message } from 'discord.js';
import { ChannelType, GatewayIntentBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Harness, jobEnded, startHarness } from './harness.js';
import { newUser, postUserMessage, runSlashCommand } from './server/users.js';

const FOLLOW_UP_ANSWER = 'The sky is pale blue.';

/** Returns the intents bitfield the bot sent in its IDENTIFY payload. */
function identifiedIntents(harness: Harness): number {
  const identify = harness.discord.gateway.received.find((payload) => payload.op === 2);
  return Number((identify?.d as { intents?: number } | undefined)?.intents ?? 0);
}

/** Runs /describe on waterview.jpg and returns the id of the thread it streamed into. */
async function describeThread(harness: Harness): Promise<string> {
  const image = await readFile(fixture('waterview.jpg'));
  const interaction = runSlashCommand(
    harness.discord,
    { channelId: harness.channelId, user: harness.user },
    'describe',
    {},
    { image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image } },
  );
  await jobEnded(harness, interaction.id);
  return interaction.originalMessageId as string;
}

/** Resolves once a follow-up question of `userId` has been answered in a thread. */
function followUpAnswered(harness: Harness, userId: string, threadId?: string) {
  return harness.waitForLog(
    (line) =>
      line.command === 'follow-up' &&
      line.user === userId &&
      (threadId === undefined || line.channel === threadId) &&
      line.msg === 'answer streamed',
  );
}

/**
 * Resolves with the next message the bot's client receives in `channelId`. Tests of ignored
 * messages use it to check that the message reached the bot rather than being lost on the way.
 */
function nextMessageIn(harness: Harness, channelId: string): Promise<Message> {
  return new Promise((resolve) => {
    const listener = (message: Message) => {
      if (message.channelId !== channelId) return;
      harness.adapter.client.off(Events.MessageCreate, listener);
      resolve(message);
    };
    harness.adapter.client.on(Events.MessageCreate, listener);
  });
}

function followUpsOf(harness: Harness, userId: string) {
  return harness.logs.filter((line) => line.command === 'follow-up' && line.user === userId);
}

describe('DISCORD_MESSAGE_CONTENT=true', () => {
  let harness: Harness;
  let otherThreadId: string;

  beforeAll(async () => {
    harness = await startHarness({
      env: { DISCORD_MESSAGE_CONTENT: 'true' },
      prepare(discord) {
        // A thread members opened themselves: no describe conversation lives in it.
        const parent = [...discord.state.channels.values()].find(
          (channel) => channel.type === ChannelType.GuildText,
        );
        otherThreadId = discord.state.addThread(parent?.id ?? '').id;
      },
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('requests the Message Content intent', () => {
    expect(identifiedIntents(harness) & GatewayIntentBits.MessageContent).toBe(
      GatewayIntentBits.MessageContent,
    );
  });

  it('answers a plain message with image and history', async () => {
    const threadId = await describeThread(harness);
    harness.ollama.scenario = { text: FOLLOW_UP_ANSWER, tokenDelayMs: 5 };
    const chatsBefore = harness.ollama.chats.length;

    postUserMessage(harness.discord, threadId, harness.user, 'what colour is the sky?');
    await followUpAnswered(harness, harness.user.id);

    const chat = harness.ollama.chats[chatsBefore];
    expect(chat?.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(chat?.messages[0]?.imageMagic).toEqual(['jpeg']);
    expect(chat?.messages[1]?.content).toContain('A wooden pier');
    expect(chat?.messages[2]?.content).toContain('what colour is the sky?');
    expect(harness.discord.channelMessages(threadId).at(-1)?.content).toBe(FOLLOW_UP_ANSWER);
  });

  it('ignores a pin notice in a describe thread', async () => {
    const threadId = await describeThread(harness);
    const moderator = newUser('erin');
    const chatsBefore = harness.ollama.chats.length;

    const received = nextMessageIn(harness, threadId);
    // Discord posts a pin notice as a message of type 6 by the member who pinned, with no text.
    const notice = postUserMessage(harness.discord, threadId, moderator, '', { type: 6 });
    expect((await received).id).toBe(notice.id);
    postUserMessage(harness.discord, threadId, harness.user, 'and the trees?');
    await followUpAnswered(harness, harness.user.id, threadId);

    expect(harness.ollama.chats.length).toBe(chatsBefore + 1);
    expect(followUpsOf(harness, moderator.id)).toEqual([]);
  });

  it('ignores a message in another thread', async () => {
    const stranger = newUser('carol');
    const chatsBefore = harness.ollama.chats.length;
    const threadId = await describeThread(harness);
    const chatsAfterDescribe = harness.ollama.chats.length;

    const received = nextMessageIn(harness, otherThreadId);
    const ignored = postUserMessage(harness.discord, otherThreadId, stranger, 'anyone seen my keys?');
    const seen = await received;
    expect(seen.id).toBe(ignored.id);
    expect(seen.channel.isThread()).toBe(true);
    // A later question in a describe thread: once it is answered, the earlier message was handled too.
    postUserMessage(harness.discord, threadId, harness.user, 'and the water?');
    await harness.waitForLog(
      (line) => line.command === 'follow-up' && line.channel === threadId && line.msg === 'answer streamed',
    );

    expect(chatsAfterDescribe).toBe(chatsBefore + 1);
    expect(harness.ollama.chats.length).toBe(chatsAfterDescribe + 1);
    expect(followUpsOf(harness, stranger.id)).toEqual([]);
    const inOtherThread = harness.discord.channelMessages(otherThreadId);
    expect(inOtherThread.map((message) => message.author.id)).toEqual([stranger.id]);
  });
});

describe('DISCORD_MESSAGE_CONTENT unset', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('does not request the Message Content intent', () => {
    expect(identifiedIntents(harness) & GatewayIntentBits.MessageContent).toBe(0);
    expect(identifiedIntents(harness) & GatewayIntentBits.GuildMessages).toBe(
      GatewayIntentBits.GuildMessages,
    );
  });

  it('ignores a message without a mention', async () => {
    const threadId = await describeThread(harness);
    const bystander = newUser('dave');
    harness.ollama.scenario = { text: FOLLOW_UP_ANSWER, tokenDelayMs: 5 };
    const chatsBefore = harness.ollama.chats.length;

    const received = nextMessageIn(harness, threadId);
    const ignored = postUserMessage(harness.discord, threadId, bystander, 'what colour is the sky?');
    expect((await received).id).toBe(ignored.id);
    // A question that mentions the bot, posted after: once it is answered, the first was handled too.
    postUserMessage(
      harness.discord,
      threadId,
      harness.user,
      `<@${harness.discord.state.botUser.id}> what colour is the sky?`,
      { mentionBot: true },
    );
    await followUpAnswered(harness, harness.user.id);

    expect(harness.ollama.chats.length).toBe(chatsBefore + 1);
    expect(followUpsOf(harness, bystander.id)).toEqual([]);
    const answers = harness.discord
      .channelMessages(threadId)
      .filter((message) => message.content === FOLLOW_UP_ANSWER);
    expect(answers).toHaveLength(1);
  });
});
