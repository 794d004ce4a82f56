import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Harness, jobEnded, startHarness } from './harness.js';
import { runSlashCommand } from './server/users.js';

describe('/describe', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('streams waterview.jpg into a thread', async () => {
    const { discord } = harness;
    const image = await readFile(fixture('waterview.jpg'));
    const interaction = runSlashCommand(
      discord,
      { channelId: harness.channelId, user: harness.user },
      'describe',
      {},
      {
        image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image },
      },
    );
    await jobEnded(harness, interaction.id);

    expect(interaction.callbackType).toBe(4);
    const anchorId = interaction.originalMessageId as string;
    const thread = discord.state.channels.get(anchorId);
    expect(thread?.type).toBe(11);
    const messages = discord.channelMessages(anchorId);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.content).toContain('A wooden pier stretches into a calm lake.');
    expect(discord.state.messages.get(anchorId)?.content).toContain(`<#${anchorId}>`);
    expect(harness.ollama.chats[0]?.messages[0]?.imageMagic).toEqual(['jpeg']);
  });
});
