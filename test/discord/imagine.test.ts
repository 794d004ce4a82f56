import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSafetyNegativePrompt } from '../../src/settings/guildSettingsDefaults.js';
import { type Harness, jobEnded, startHarness } from './harness.js';
import { newUser, pressButton, runSlashCommand } from './server/users.js';

function buttonId(message: APIMessage, label: string): string {
  const rows = (message.components ?? []) as unknown as Array<{
    components: Array<{ label: string; custom_id: string }>;
  }>;
  const button = rows.flatMap((row) => row.components).find((component) => component.label === label);
  if (!button) throw new Error(`No ${label} button`);
  return button.custom_id;
}

describe('/imagine', () => {
  let harness: Harness;
  let threadId: string;
  let result: APIMessage;

  beforeAll(async () => {
    harness = await startHarness();
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user },
      'imagine',
      { prompt: 'a lighthouse at dusk', negative: 'blurry', seed: 42 },
    );
    await jobEnded(harness, interaction.id);
    threadId = interaction.originalMessageId as string;
    result = harness.discord.channelMessages(threadId)[0] as APIMessage;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('posts the image in a thread with seed and buttons', () => {
    expect(harness.discord.state.channels.get(threadId)?.type).toBe(11);
    expect(result.attachments).toHaveLength(1);
    expect(result.attachments[0]?.description).toBe('a lighthouse at dusk');
    expect(result.attachments[0]?.content_type).toBe('image/png');
    expect(result.content).toContain('Seed 42');
    expect(result.content).toContain('Negative prompt: blurry');
    expect(harness.hf.generations[0]?.inputs).toContain('a lighthouse at dusk');
    for (const label of ['Re-roll', 'Variations', 'Describe', 'Delete'])
      expect(buttonId(result, label)).toBeTruthy();
  });

  it('re-rolls with the same prompt and a new seed', async () => {
    const before = harness.hf.generations.length;
    const press = pressButton(
      harness.discord,
      { channelId: threadId, user: harness.user },
      result,
      buttonId(result, 'Re-roll'),
    );
    await jobEnded(harness, press.id);
    const generation = harness.hf.generations[before];
    expect(generation?.inputs).toContain('a lighthouse at dusk');
    // Outside age-restricted channels the guild's safety negative prompt follows the user's own.
    expect(generation?.parameters.negative_prompt).toBe(`blurry, ${defaultSafetyNegativePrompt}`);
    const posted = harness.discord.channelMessages(threadId).at(-1);
    expect(posted?.attachments).toHaveLength(1);
    expect(posted?.content).toMatch(/Seed \d+/);
  });

  it('makes 4 variations', async () => {
    const press = pressButton(
      harness.discord,
      { channelId: threadId, user: harness.user },
      result,
      buttonId(result, 'Variations'),
    );
    await jobEnded(harness, press.id);
    const posted = harness.discord.channelMessages(threadId).at(-1);
    expect(posted?.attachments).toHaveLength(4);
  });

  it('describes the result in the same thread', async () => {
    const press = pressButton(
      harness.discord,
      { channelId: threadId, user: harness.user },
      result,
      buttonId(result, 'Describe'),
    );
    await jobEnded(harness, press.id);
    const posted = harness.discord.channelMessages(threadId).at(-1);
    expect(posted?.content).toContain('A wooden pier');
    expect(harness.ollama.chats.at(-1)?.messages[0]?.imageMagic).toEqual(['png']);
  });

  it('refuses Delete from another member', async () => {
    const stranger = newUser('mallory');
    const press = pressButton(
      harness.discord,
      { channelId: threadId, user: stranger },
      result,
      buttonId(result, 'Delete'),
    );
    await harness.discord.waitForCall((call) => call.path.includes(`/interactions/${press.id}/`));
    expect(press.ephemeral).toBe(true);
    expect(harness.discord.state.messages.has(result.id)).toBe(true);
  });

  it('deletes for the requester', async () => {
    pressButton(
      harness.discord,
      { channelId: threadId, user: harness.user },
      result,
      buttonId(result, 'Delete'),
    );
    await harness.discord.waitForCall(
      (call) => call.method === 'DELETE' && call.path.endsWith(`/messages/${result.id}`),
    );
    expect(harness.discord.state.messages.has(result.id)).toBe(false);
  });

  it('refuses an empty prompt', async () => {
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user },
      'imagine',
      {
        prompt: '   ',
      },
    );
    await harness.discord.waitForCall((call) => call.path.includes(`/interactions/${interaction.id}/`));
    expect(interaction.ephemeral).toBe(true);
    expect(harness.discord.state.messages.get(interaction.originalMessageId ?? '')?.content).toContain(
      'The prompt is empty',
    );
  });
});
