import { randomUUID } from 'node:crypto';
import type { IrisError } from '../errors/IrisError.js';
import type { Logger } from '../logging/logger.js';
import type { IrisStores } from './createStores.js';
import { storeUnavailable } from './storeUnavailable.js';
import { describeStoreLocation } from './storeUrl.js';

export type StoreHealth = { ok: true; latencyMs: number } | { ok: false; error: IrisError };

// The probe key lives this long (milliseconds) in case the delete after it fails.
const PROBE_TTL_MS = 60_000;

/**
 * Waits up to the store timeout for the connection, then writes, reads back and deletes a probe key in the `dedupe` namespace, each step bounded by the
 * store timeout. Logs the outcome: `info` when reachable, `error` with the fix when not. Never throws.
 * Run it at start-up; the bot still starts when it fails, and `/imagine` is refused until the store is back.
 */
export async function checkStores(stores: IrisStores, logger: Logger): Promise<StoreHealth> {
  const store = describeStoreLocation(stores.location);
  const keyv = stores.namespaces.dedupe;
  const key = `probe:${randomUUID()}`;
  const started = performance.now();

  try {
    await stores.ready();
    await withTimeout(
      (async () => {
        await keyv.set(key, 'ok', PROBE_TTL_MS);
        const value = await keyv.get<string>(key);
        if (value !== 'ok') throw new Error('The probe key read back a different value.');
        await keyv.delete(key);
      })(),
      // A Redis still connecting has no socket to time out on, so bound the whole probe here.
      stores.timeoutMs * 3,
    );
  } catch (cause) {
    const error = storeUnavailable('start-up check', cause);
    logger.error({ err: cause, store, code: error.code }, `Store unreachable: ${error.adminHint}`);
    return { ok: false, error };
  }

  const latencyMs = Math.round(performance.now() - started);
  logger.info({ store, latencyMs }, 'Store reachable');
  return { ok: true, latencyMs };
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms.`)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
