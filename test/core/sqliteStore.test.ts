import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createLimiter } from '../../src/limits/createLimiter.js';
import { createJob } from '../../src/queue/job.js';
import { GuildSettingsStore } from '../../src/settings/GuildSettingsStore.js';
import { guildSettingsDefaults } from '../../src/settings/guildSettingsDefaults.js';
import { checkStores } from '../../src/store/checkStores.js';
import { createStores } from '../../src/store/createStores.js';
import { captureLogger } from './helpers.js';
import { controlledHandler, createQueue, imagineRequest, until } from './jobFixtures.js';

const directory = mkdtempSync(join(tmpdir(), 'iris-sqlite-'));
const file = join(directory, 'data', 'iris.sqlite');
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function openStores() {
  const { logger } = captureLogger();
  return {
    logger,
    stores: createStores({ url: `sqlite://${file}`, keyPrefix: 'iris', timeoutMs: 2_000, logger }),
  };
}

describe('SQLite store', () => {
  it('creates the file and passes the start-up check', async () => {
    const { stores, logger } = openStores();
    expect(await checkStores(stores, logger)).toMatchObject({ ok: true });
    expect(statSync(file).size).toBeGreaterThan(0);
    await stores.close();
  });

  it('admits exactly 20 of 50 simultaneous requests', async () => {
    const { stores } = openStores();
    const limiter = createLimiter(stores);
    const rule = { key: 'budget:discord:g1:imagine', limit: 20, windowMs: 3_600_000 };
    const results = await Promise.all(Array.from({ length: 50 }, () => limiter.consume([rule], Date.now())));
    const admitted = results.filter((result) => result.ok).length;
    console.info(`[measure] SQLite store, one process: ${admitted} of 50 admitted with budget 20`);
    expect(admitted).toBe(20);
    await stores.close();
  });

  it('keeps settings and queued jobs across a reopen', async () => {
    const defaults = guildSettingsDefaults(loadConfig({ env: {} }));
    const scope = { platform: 'discord' as const, guildId: 'g1' };
    const before = openStores();
    const settings = new GuildSettingsStore(before.stores.namespaces.settings, defaults, before.logger);
    await settings.update(scope, { blockedWords: ['castle'] }, { platform: 'cli', userId: 'operator' });

    const handler = controlledHandler();
    const queue = createQueue(before.stores, before.logger, {
      run: handler.run,
      resume: async () => 'interrupted',
    });
    const jobs = [createJob(imagineRequest('g1', 'u1')), createJob(imagineRequest('g1', 'u2'))];
    for (const job of jobs) await queue.enqueue(job);
    await until(() => handler.started.length === 1);
    queue.close();
    await before.stores.close();

    const after = openStores();
    const reread = new GuildSettingsStore(after.stores.namespaces.settings, defaults, after.logger);
    expect((await reread.get(scope)).blockedWords).toEqual(['castle']);

    const resumed: { id: string; wasRunning: boolean }[] = [];
    const restored = createQueue(after.stores, after.logger, {
      run: async () => {},
      resume: async (job, { wasRunning }) => {
        resumed.push({ id: job.id, wasRunning });
        return 'requeue';
      },
    });
    await restored.restore();
    await restored.idle();
    expect(resumed).toEqual([
      { id: jobs[0]?.id, wasRunning: true },
      { id: jobs[1]?.id, wasRunning: false },
    ]);
    expect(await after.stores.namespaces.jobs.get('index:test-host')).toEqual([]);
    await after.stores.close();
  });
});
