import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../adapters/discord/commandDefinitions.js';
import { type Harness, jobEnded, refusalOf, startHarness } from './harness.js';
import type { InteractionRecord } from './server/state.js';
import { newUser, runSlashCommand, runSubcommand } from './server/users.js';

describe('/iris', () => {
  let harness: Harness;
  const admin = newUser('admin');
  const adminContext = () => ({
    channelId: harness.channelId,
    user: admin,
    memberPermissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages,
  });
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const replyOf = async (interaction: InteractionRecord) => {
    await harness.discord.waitForCall(
      (call) => call.method === 'PATCH' && call.path.includes(interaction.token) && call.status === 200,
    );
    return harness.discord.state.messages.get(interaction.originalMessageId ?? '')?.content ?? '';
  };

  it('is declared for Manage Server only', () => {
    const iris = commandDefinitions.find((command) => command.name === 'iris');
    expect(iris?.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
  });

  it('refuses a member without Manage Server', async () => {
    const interaction = runSubcommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user },
      'iris',
      'settings',
      { imagine_budget: 0 },
    );
    expect(await replyOf(interaction)).toContain('Only members with the Manage Server permission');
    expect(interaction.ephemeral).toBe(true);
    expect(harness.logs.some((line) => line.msg === 'Guild settings changed')).toBe(false);
  });

  it('lets an admin change the imagine budget', async () => {
    const interaction = runSubcommand(harness.discord, adminContext(), 'iris', 'settings', {
      imagine_budget: 1,
    });
    const reply = await replyOf(interaction);
    expect(reply).toContain('Saved.');
    expect(reply).toContain('/imagine budget: 1 per hour');
    const changed = await harness.waitForLog((line) => line.msg === 'Guild settings changed');
    expect(changed.changedBy).toBe(admin.id);

    const context = { channelId: harness.channelId, user: harness.user };
    const first = runSlashCommand(harness.discord, context, 'imagine', { prompt: 'a lighthouse at dusk' });
    await jobEnded(harness, first.id);
    const second = runSlashCommand(harness.discord, context, 'imagine', { prompt: 'a lighthouse at dawn' });
    const refusal = await refusalOf(harness, second);
    expect(refusal).toContain('used all 1 /imagine requests');
    expect(refusal).toMatch(/next one opens <t:\d+:R>/);
  });

  it('shows usage against the limits', async () => {
    const interaction = runSubcommand(harness.discord, adminContext(), 'iris', 'usage');
    const reply = await replyOf(interaction);
    expect(reply).toContain('/imagine: 1 of 1 used in the last hour; next slot <t:');
    expect(reply).toContain('/describe: 0 of 60 used');
  });

  it('refuses a blocked word in /imagine', async () => {
    const change = runSubcommand(harness.discord, adminContext(), 'iris', 'settings', {
      imagine_budget: 20,
      block_word: 'dragon',
    });
    expect(await replyOf(change)).toContain('Blocked words: dragon');
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: newUser('bob') },
      'imagine',
      { prompt: 'a red Dragon over a castle' },
    );
    expect(await refusalOf(harness, interaction)).toContain('not allowed here');
  });

  it('lists the allowed channels in a refusal', async () => {
    const other = harness.discord.state.addChannel(0).id;
    const change = runSubcommand(
      harness.discord,
      adminContext(),
      'iris',
      'settings',
      {},
      { allow_channel: other },
    );
    expect(await replyOf(change)).toContain(`Allowed channels: <#${other}>`);
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: newUser('carol') },
      'imagine',
      { prompt: 'a lighthouse at noon' },
    );
    const refusal = await refusalOf(harness, interaction);
    expect(refusal).toContain('not allowed the bot in this channel');
    expect(refusal).toContain(`Allowed channels: <#${other}>`);
  });
});
