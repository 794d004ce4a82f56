import { afterAll, describe, expect, it } from 'vitest';
import { createLimiter } from '../../src/limits/createLimiter.js';
import type { WindowRule } from '../../src/limits/SlidingWindowLimiter.js';
import { createStores } from '../../src/store/createStores.js';
import { captureLogger, deleteKeysWithPrefix, noRedisReason, redisUrl, uniquePrefix } from './helpers.js';

const budget: WindowRule = { key: 'budget:discord:g1:imagine', limit: 20, windowMs: 3_600_000 };

describe('local sliding window (memory)', () => {
  it('admits exactly 20 of 50 simultaneous requests', async () => {
    const { logger } = captureLogger();
    const stores = createStores({ url: 'memory', keyPrefix: uniquePrefix('mem'), timeoutMs: 1_000, logger });
    const limiter = createLimiter(stores);
    const now = Date.now();

    const results = await Promise.all(Array.from({ length: 50 }, () => limiter.consume([budget], now)));
    const admitted = results.filter((result) => result.ok).length;
    console.info(`[measure] memory store, one process: ${admitted} of 50 admitted with budget 20`);

    expect(admitted).toBe(20);
    const refused = results.find((result) => !result.ok);
    expect(refused).toEqual({ ok: false, ruleIndex: 0, retryAt: now + 3_600_000 });
  });

  it('reopens a slot when the oldest hit leaves the window', async () => {
    const { logger } = captureLogger();
    const stores = createStores({ url: 'memory', keyPrefix: uniquePrefix('mem'), timeoutMs: 1_000, logger });
    const limiter = createLimiter(stores);
    const rule: WindowRule = { key: 'k', limit: 2, windowMs: 1_000 };

    expect((await limiter.consume([rule], 0)).ok).toBe(true);
    expect((await limiter.consume([rule], 400)).ok).toBe(true);
    expect(await limiter.consume([rule], 900)).toEqual({ ok: false, ruleIndex: 0, retryAt: 1_000 });
    expect((await limiter.consume([rule], 1_001)).ok).toBe(true);
    expect(await limiter.consume([rule], 1_002)).toEqual({ ok: false, ruleIndex: 0, retryAt: 1_400 });
  });

  it('spends nothing when a later rule refuses', async () => {
    const { logger } = captureLogger();
    const stores = createStores({ url: 'memory', keyPrefix: uniquePrefix('mem'), timeoutMs: 1_000, logger });
    const limiter = createLimiter(stores);
    const cooldown: WindowRule = { key: 'cooldown:u1', limit: 1, windowMs: 10_000 };
    const tight: WindowRule = { key: 'budget', limit: 1, windowMs: 60_000 };

    await limiter.consume([tight], 0);
    expect(await limiter.consume([cooldown, tight], 5)).toEqual({ ok: false, ruleIndex: 1, retryAt: 60_000 });
    expect((await limiter.usage(cooldown, 6)).used).toBe(0);
  });
});

describe.skipIf(!redisUrl)(`Redis sliding window (${redisUrl ? 'REDIS_URL set' : noRedisReason})`, () => {
  const prefix = uniquePrefix('redis-limiter');
  afterAll(async () => {
    if (redisUrl) await deleteKeysWithPrefix(redisUrl, prefix);
  });

  it('admits exactly 20 of 50 simultaneous requests', async () => {
    const { logger } = captureLogger();
    const stores = createStores({ url: redisUrl ?? '', keyPrefix: prefix, timeoutMs: 2_000, logger });
    try {
      await stores.ready();
      const limiter = createLimiter(stores);
      expect(limiter.scope).toBe('shared');
      const now = Date.now();

      const results = await Promise.all(Array.from({ length: 50 }, () => limiter.consume([budget], now)));
      const admitted = results.filter((result) => result.ok).length;
      console.info(`[measure] Redis store, one process: ${admitted} of 50 admitted with budget 20`);

      expect(admitted).toBe(20);
      expect(results.find((result) => !result.ok)).toEqual({
        ok: false,
        ruleIndex: 0,
        retryAt: now + 3_600_000,
      });
      expect((await limiter.usage(budget, now)).used).toBe(20);
    } finally {
      await stores.close();
    }
  });

  it('spends nothing when a later rule refuses', async () => {
    const { logger } = captureLogger();
    const stores = createStores({ url: redisUrl ?? '', keyPrefix: prefix, timeoutMs: 2_000, logger });
    try {
      await stores.ready();
      const limiter = createLimiter(stores);
      const cooldown: WindowRule = { key: 'cooldown:u2', limit: 1, windowMs: 10_000 };
      const tight: WindowRule = { key: 'budget-tight', limit: 1, windowMs: 60_000 };

      await limiter.consume([tight], 1_000);
      expect(await limiter.consume([cooldown, tight], 1_005)).toEqual({
        ok: false,
        ruleIndex: 1,
        retryAt: 61_000,
      });
      expect((await limiter.usage(cooldown, 1_006)).used).toBe(0);
    } finally {
      await stores.close();
    }
  });
});
