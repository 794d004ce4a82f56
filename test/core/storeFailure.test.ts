import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { checkStores } from '../../src/store/checkStores.js';
import { createStores, type IrisStores } from '../../src/store/createStores.js';
import { createAdmission } from './admissionFixtures.js';
import { captureLogger, freePort, uniquePrefix } from './helpers.js';
import { controlledHandler, imagineRequest } from './jobFixtures.js';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
const noResume = async () => 'interrupted' as const;

let open: IrisStores[] = [];
let servers: ChildProcess[] = [];
afterEach(async () => {
  for (const stores of open) await stores.close();
  for (const server of servers) server.kill('SIGKILL');
  open = [];
  servers = [];
});

function redisStores(port: number) {
  const { logger, lines } = captureLogger();
  const stores = createStores({
    url: `redis://127.0.0.1:${port}`,
    keyPrefix: uniquePrefix('failure'),
    timeoutMs: 300,
    logger,
  });
  open.push(stores);
  return { stores, logger, lines };
}

describe('store unreachable', () => {
  it('fails the start-up check and refuses /imagine clearly', async () => {
    const { stores, logger, lines } = redisStores(await freePort());

    const health = await checkStores(stores, logger);
    expect(health.ok).toBe(false);
    if (health.ok) return;
    expect(health.error.code).toBe('STORE_UNAVAILABLE');
    expect(lines.some((line) => String(line.msg).startsWith('Store unreachable'))).toBe(true);

    const { admission } = createAdmission(stores, logger, { run: controlledHandler().run, resume: noResume });
    const imagine = await admission.admit(imagineRequest('g1', 'u1'));
    expect(imagine.accepted).toBe(false);
    if (imagine.accepted) return;
    expect(imagine.refusal.reason).toBe('store-unavailable');
    if (imagine.refusal.reason !== 'store-unavailable') return;
    expect(imagine.refusal.error.userMessage).toContain('having trouble reaching its storage');

    // /describe skips the limits but still cannot keep its job without the store.
    const describeResult = await admission.admit({ ...imagineRequest('g1', 'u2'), command: 'describe' });
    expect(describeResult).toMatchObject({ accepted: false, refusal: { reason: 'store-unavailable' } });
  });
});

describe.skipIf(!hasRedisServer)(
  `Redis stopped mid-run (${hasRedisServer ? 'redis-server found' : 'redis-server is not installed'})`,
  () => {
    async function startRedis(port: number): Promise<ChildProcess> {
      const server = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.stdout?.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('Ready to accept connections')) resolve();
        });
        server.once('exit', () => reject(new Error('redis-server exited before it was ready')));
      });
      return server;
    }

    it('refuses /imagine while Redis is down and recovers after', async () => {
      const port = await freePort();
      let server = await startRedis(port);
      const { stores, logger } = redisStores(port);
      const { admission, clock } = createAdmission(stores, logger, {
        run: controlledHandler().run,
        resume: noResume,
      });
      expect((await checkStores(stores, logger)).ok).toBe(true);
      expect((await admission.admit(imagineRequest('g1', 'u1'))).accepted).toBe(true);

      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;

      const refused = await admission.admit(imagineRequest('g1', 'u2'));
      expect(refused).toMatchObject({ accepted: false, refusal: { reason: 'store-unavailable' } });

      server = await startRedis(port);
      await stores.ready(10_000);
      clock.now += 1;
      expect((await admission.admit(imagineRequest('g1', 'u3'))).accepted).toBe(true);
    });
  },
);
