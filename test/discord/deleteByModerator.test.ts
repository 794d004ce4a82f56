import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, jobEnded, startHarness } from './harness.js';
import { newUser, pressButton, runSlashCommand } from './server/users.js';

// Permission bits as Discord numbers them.
const SEND_MESSAGES = 1n << 11n;
const MANAGE_MESSAGES = 1n << 13n;

function deleteButtonId(message: APIMessage): string {
  const rows = (message.components ?? []) as unknown as Array<{
    components: Array<{ label: string; custom_id: string }>;
  }>;
  const button = rows.flatMap((row) => row.components).find((component) => component.label === 'Delete');
  if (!button) throw new Error('No Delete button');
  return button.custom_id;
}

describe('Delete pressed by another member', () => {
  let harness: Harness;
  let threadId: string;
  let result: APIMessage;

  beforeAll(async () => {
    harness = await startHarness();
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user },
      'imagine',
      { prompt: 'a red kite over a hill', seed: 7 },
    );
    await jobEnded(harness, interaction.id);
    threadId = interaction.originalMessageId as string;
    result = harness.discord.channelMessages(threadId)[0] as APIMessage;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('refuses a member without Manage Messages', async () => {
    const press = pressButton(
      harness.discord,
      { channelId: threadId, user: newUser('bob'), memberPermissions: SEND_MESSAGES },
      result,
      deleteButtonId(result),
    );
    await harness.discord.waitForCall((call) => call.path.includes(`/interactions/${press.id}/`));

    expect(press.callbackType).toBe(4);
    expect(press.ephemeral).toBe(true);
    expect(harness.discord.state.messages.get(press.originalMessageId ?? '')?.content).toContain(
      'Manage Messages',
    );
    expect(harness.discord.state.messages.has(result.id)).toBe(true);
    expect(harness.discord.calls.some((call) => call.method === 'DELETE')).toBe(false);
  });

  it('deletes for a member with Manage Messages', async () => {
    const moderator = newUser('mod');
    const press = pressButton(
      harness.discord,
      { channelId: threadId, user: moderator, memberPermissions: SEND_MESSAGES | MANAGE_MESSAGES },
      result,
      deleteButtonId(result),
    );
    await harness.discord.waitForCall(
      (call) =>
        call.method === 'DELETE' && call.path.endsWith(`/messages/${result.id}`) && call.status === 204,
    );

    expect(press.callbackType).toBe(6);
    expect(harness.discord.state.messages.has(result.id)).toBe(false);
    const deleted = await harness.waitForLog((line) => line.msg === 'result deleted');
    expect(deleted.user).toBe(moderator.id);
  });
});
