import { readFile } from 'node:fs/promises';
import { type APIThreadChannel, ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Harness, jobEnded, startHarness } from './harness.js';
import type { InteractionRecord } from './server/state.js';
import { ALL_PERMISSIONS, type InteractionContext, runSlashCommand } from './server/users.js';

describe('Discord reply fallbacks', () => {
  let harness: Harness;
  let image: Buffer;
  let channels: Record<'dm' | 'groupDm' | 'thread' | 'forumPost', string>;

  beforeAll(async () => {
    image = await readFile(fixture('waterview.jpg'));
    harness = await startHarness({
      prepare(discord) {
        const parent = discord.state.addChannel(ChannelType.GuildText);
        const forum = discord.state.addChannel(ChannelType.GuildForum);
        channels = {
          dm: discord.state.addChannel(ChannelType.DM).id,
          groupDm: discord.state.addChannel(ChannelType.GroupDM).id,
          thread: discord.state.addThread(parent.id).id,
          forumPost: discord.state.addThread(forum.id).id,
        };
      },
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function describeIn(context: Partial<InteractionContext>, options = {}): Promise<InteractionRecord> {
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user, ...context },
      'describe',
      options,
      { image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image } },
    );
    await jobEnded(harness, interaction.id);
    return interaction;
  }

  function followUps(interaction: InteractionRecord) {
    return harness.discord.calls.filter(
      (call) =>
        call.method === 'POST' &&
        call.path.includes(`/webhooks/`) &&
        call.status === 200 &&
        call.at >= interaction.createdAt,
    );
  }

  for (const place of ['dm', 'groupDm', 'thread', 'forumPost'] as const) {
    it(`replies in place in a ${place}`, async () => {
      const interaction = await describeIn({ channelId: channels[place] });
      expect(harness.discord.state.channels.has(interaction.originalMessageId ?? '')).toBe(false);
      const answer = harness.discord.channelMessages(channels[place]).at(-1);
      expect(answer?.content).toContain('A wooden pier');
    });
  }

  for (const missing of ['CreatePublicThreads', 'SendMessagesInThreads'] as const) {
    it(`replies in place without ${missing}`, async () => {
      const appPermissions = ALL_PERMISSIONS & ~PermissionFlagsBits[missing];
      const interaction = await describeIn({ appPermissions });
      expect(harness.discord.state.channels.has(interaction.originalMessageId ?? '')).toBe(false);
      const messages = harness.discord.channelMessages(harness.channelId);
      expect(messages.at(-2)?.content).toContain('cannot start threads here');
      expect(messages.at(-1)?.content).toContain('A wooden pier');
    });
  }

  for (const change of ['locked', 'archived'] as const) {
    it(`moves the result out of a ${change} thread`, async () => {
      harness.ollama.scenario = { firstTokenDelayMs: 300, tokenDelayMs: 5 };
      const interaction = runSlashCommand(
        harness.discord,
        { channelId: harness.channelId, user: harness.user },
        'describe',
        {},
        { image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image } },
      );
      await harness.discord.waitForCall((call) =>
        call.path.endsWith(`/messages/${interaction.originalMessageId}/threads`),
      );
      const thread = harness.discord.state.channels.get(
        interaction.originalMessageId ?? '',
      ) as APIThreadChannel;
      if (thread.thread_metadata) thread.thread_metadata[change] = true;
      await jobEnded(harness, interaction.id);
      harness.ollama.scenario = { tokenDelayMs: 5 };

      expect(harness.discord.channelMessages(thread.id)).toHaveLength(0);
      const messages = harness.discord.channelMessages(harness.channelId);
      expect(messages.at(-2)?.content).toContain('locked, archived or deleted');
      expect(messages.at(-1)?.content).toContain('A wooden pier');
      expect(followUps(interaction).length).toBeGreaterThanOrEqual(2);
    });
  }

  it('answers private:true ephemerally without a thread', async () => {
    const interaction = await describeIn({}, { private: true });
    expect(interaction.ephemeral).toBe(true);
    expect(harness.discord.state.channels.has(interaction.originalMessageId ?? '')).toBe(false);
    const posted = followUps(interaction).at(-1);
    expect(posted?.body.flags).toBe(64);
    const answer = [...harness.discord.state.messages.values()].at(-1);
    expect(answer?.flags).toBe(64);
    expect(answer?.content).toContain('A wooden pier');
  });
});
