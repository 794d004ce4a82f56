import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../core/helpers.js';
import { type Harness, jobEnded, refusalOf, startHarness } from './harness.js';
import { runSlashCommand } from './server/users.js';

describe('Discord limits', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('refuses within the cooldown with a relative timestamp', async () => {
    harness = await startHarness({ env: { USER_COOLDOWN_MS: '60000' } });
    const context = { channelId: harness.channelId, user: harness.user };
    const first = runSlashCommand(harness.discord, context, 'imagine', { prompt: 'a lighthouse at dusk' });
    await jobEnded(harness, first.id);

    const second = runSlashCommand(harness.discord, context, 'imagine', { prompt: 'a lighthouse at dawn' });
    const text = await refusalOf(harness, second);
    expect(text).toContain('Please wait 1 minute between requests');
    expect(text).toMatch(/<t:\d+:R>/);
    // The public anchor of the refused request was removed.
    expect(harness.discord.state.messages.has(second.originalMessageId ?? '')).toBe(false);
    expect(harness.hf.generations).toHaveLength(1);
  });

  it('refuses /imagine clearly while the store is down', async () => {
    const port = await freePort();
    harness = await startHarness({
      env: { STORE_URL: `redis://127.0.0.1:${port}`, STORE_TIMEOUT_MS: '200' },
    });
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user },
      'imagine',
      { prompt: 'a lighthouse at dusk' },
    );
    const text = await refusalOf(harness, interaction);
    expect(interaction.acknowledgedAt).toBeDefined();
    expect(text).toContain('trouble reaching its storage');
    expect(harness.hf.generations).toHaveLength(0);
  });
});
