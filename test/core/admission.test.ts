import { describe, expect, it } from 'vitest';
import { discordRelativeTime, refusalMessage, slackDate } from '../../src/limits/Refusal.js';
import { createStores } from '../../src/store/createStores.js';
import { createAdmission } from './admissionFixtures.js';
import { captureLogger, uniquePrefix } from './helpers.js';
import { controlledHandler, imagineRequest } from './jobFixtures.js';

function setup(env: Record<string, string> = {}) {
  const { logger, lines } = captureLogger();
  const stores = createStores({
    url: 'memory',
    keyPrefix: uniquePrefix('admission'),
    timeoutMs: 1_000,
    logger,
  });
  const handler = controlledHandler();
  const noResume = async () => 'interrupted' as const;
  return {
    ...createAdmission(stores, logger, { run: handler.run, resume: noResume }, env),
    handler,
    lines,
    stores,
  };
}

describe('admission burst', () => {
  it('admits exactly 20 of 50 simultaneous /imagine requests', async () => {
    const { admission } = setup({ GUILD_QUEUE_CAP: '100' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) => admission.admit(imagineRequest('g1', `u${index}`))),
    );
    const admitted = results.filter((result) => result.accepted).length;
    console.info(
      `[measure] admission with memory store, one process: ${admitted} of 50 admitted with budget 20`,
    );

    expect(admitted).toBe(20);
    const reasons = new Set(results.flatMap((result) => (result.accepted ? [] : [result.refusal.reason])));
    expect([...reasons]).toEqual(['guild-budget']);
  });
});

describe('admission refusals', () => {
  it('refuses a second request inside the cooldown', async () => {
    const { admission, clock } = setup();
    expect((await admission.admit(imagineRequest('g1', 'u1'))).accepted).toBe(true);
    clock.now += 4_000;

    const result = await admission.admit(imagineRequest('g1', 'u1'));
    expect(result.accepted).toBe(false);
    if (result.accepted) return;
    expect(result.refusal).toEqual({
      reason: 'cooldown',
      cooldownMs: 10_000,
      retryAt: new Date(clock.now + 6_000),
    });

    const unix = Math.ceil((clock.now + 6_000) / 1000);
    expect(refusalMessage(result.refusal, discordRelativeTime)).toBe(
      `Please wait 10 seconds between requests. You can send the next one <t:${unix}:R>.`,
    );
    expect(refusalMessage(result.refusal, slackDate)).toContain(
      `<!date^${unix}^{date_short_pretty} at {time}|`,
    );
  });

  it('spends no budget on a cooldown refusal', async () => {
    const { admission, clock } = setup({ IMAGINE_BUDGET: '2' });
    await admission.admit(imagineRequest('g1', 'u1'));
    await admission.admit(imagineRequest('g1', 'u1'));
    clock.now += 1_000;
    expect((await admission.admit(imagineRequest('g1', 'u2'))).accepted).toBe(true);
  });

  it('refuses when the guild budget is spent, with the next slot', async () => {
    const { admission, clock } = setup({ IMAGINE_BUDGET: '2', GUILD_QUEUE_CAP: '10' });
    const firstAt = clock.now;
    await admission.admit(imagineRequest('g1', 'u1'));
    clock.now += 60_000;
    await admission.admit(imagineRequest('g1', 'u2'));
    clock.now += 60_000;

    const result = await admission.admit(imagineRequest('g1', 'u3'));
    expect(result.accepted).toBe(false);
    if (result.accepted) return;
    expect(result.refusal).toEqual({
      reason: 'guild-budget',
      command: 'imagine',
      limit: 2,
      windowMs: 3_600_000,
      retryAt: new Date(firstAt + 3_600_000),
    });
    expect(refusalMessage(result.refusal, discordRelativeTime)).toBe(
      `This server has used all 2 /imagine requests allowed per hour. The next one opens <t:${Math.ceil((firstAt + 3_600_000) / 1000)}:R>.`,
    );

    // Another guild has its own budget.
    expect((await admission.admit(imagineRequest('g2', 'u3'))).accepted).toBe(true);
  });

  it('refuses a third queued job of one user', async () => {
    const { admission, clock } = setup({ USER_COOLDOWN_MS: '0', HF_CONCURRENCY: '1' });
    // The first job runs, the next two wait: that is the most one user may have.
    for (let index = 0; index < 3; index++) {
      expect((await admission.admit(imagineRequest('g1', 'u1'))).accepted).toBe(true);
      clock.now += 1;
    }
    const result = await admission.admit(imagineRequest('g1', 'u1'));
    expect(result).toEqual({ accepted: false, refusal: { reason: 'user-queue', maxQueued: 2 } });
  });

  it('refuses past the guild queue cap with an estimated slot', async () => {
    const { admission, clock } = setup({ GUILD_QUEUE_CAP: '3', HF_CONCURRENCY: '1' });
    // One running and three waiting fill the queue.
    for (let index = 0; index < 4; index++) {
      const result = await admission.admit(imagineRequest('g1', `u${index}`));
      expect(result.accepted).toBe(true);
    }
    const result = await admission.admit(imagineRequest('g1', 'u9'));
    expect(result.accepted).toBe(false);
    if (result.accepted) return;
    // The next waiting job starts after about one imagine run (2 s in these tests' estimate).
    expect(result.refusal).toEqual({ reason: 'guild-queue', cap: 3, retryAt: new Date(clock.now + 2_000) });
    expect(refusalMessage(result.refusal, discordRelativeTime)).toContain('already has 3 requests waiting');

    // A refused request spends nothing: the same user is admitted in another guild at once.
    expect((await admission.admit(imagineRequest('g2', 'u9'))).accepted).toBe(true);
  });

  it('returns the queue position on acceptance', async () => {
    const { admission } = setup({ HF_CONCURRENCY: '1' });
    const first = await admission.admit(imagineRequest('g1', 'u1'));
    const second = await admission.admit(imagineRequest('g1', 'u2'));
    expect(first).toMatchObject({ accepted: true, status: { state: 'running' } });
    expect(second).toMatchObject({
      accepted: true,
      status: { state: 'queued', position: 1, estimatedWaitMs: 2_000 },
    });
  });

  it('refuses outside the allowed channels and when a command is off', async () => {
    const { admission, settings } = setup();
    const admin = { platform: 'discord' as const, userId: 'admin', permissions: String(1n << 5n) };
    await settings.update({ platform: 'discord', guildId: 'g1' }, { allowedChannels: ['c2'] }, admin);
    expect(await admission.admit(imagineRequest('g1', 'u1'))).toEqual({
      accepted: false,
      refusal: { reason: 'channel-not-allowed' },
    });

    await settings.update(
      { platform: 'discord', guildId: 'g1' },
      { allowedChannels: null, limits: { imagineBudget: 0 } },
      admin,
    );
    expect(await admission.admit(imagineRequest('g1', 'u1'))).toEqual({
      accepted: false,
      refusal: { reason: 'command-disabled', command: 'imagine' },
    });
  });

  it('reports usage against the budget', async () => {
    const { admission, clock } = setup();
    await admission.admit(imagineRequest('g1', 'u1'));
    const usage = await admission.usage({ platform: 'discord', guildId: 'g1' });
    expect(usage.imagine).toEqual({
      used: 1,
      limit: 20,
      windowMs: 3_600_000,
      nextSlotAt: new Date(clock.now + 3_600_000),
    });
    expect(usage.describe).toEqual({ used: 0, limit: 60, windowMs: 3_600_000, nextSlotAt: undefined });
  });
});
