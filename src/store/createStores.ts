import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import KeyvRedis from '@keyv/redis';
import { KeyvSqlite } from '@keyv/sqlite';
import { Keyv } from 'keyv';
import type { Logger } from '../logging/logger.js';
import { createRedisClient, type RedisClient } from './createRedisClient.js';
import { type StoreNamespace, storeNamespaces } from './namespaces.js';
import { describeStoreLocation, parseStoreUrl, type StoreLocation } from './storeUrl.js';
import { throttledErrorLog } from './throttledErrorLog.js';

/** One Keyv per namespace plus what the limiter and the start-up check need to reach the backend. */
export interface IrisStores {
  location: StoreLocation;
  /** Prefix of every key, so several bots (or test runs) can share one Redis without touching each other. */
  keyPrefix: string;
  /** Every store operation fails after this many milliseconds instead of hanging while the server is away. */
  timeoutMs: number;
  namespaces: Record<StoreNamespace, Keyv>;
  /** Present when the store is Redis. */
  redis: RedisClient | undefined;
  /**
   * Resolves when the store can take commands: at once for memory and SQLite, on the first Redis
   * connection otherwise. Rejects after `timeoutMs` milliseconds. Until then Redis commands fail fast.
   */
  ready(timeoutMs?: number): Promise<void>;
  /** Closes the connections. Keys are left in place: nothing is ever cleared. */
  close(): Promise<void>;
}

export interface CreateStoresOptions {
  /** `memory`, `sqlite://<file>` or `redis://…`, as in `STORE_URL`. */
  url: string;
  keyPrefix: string;
  /** Store command and connect timeout, in milliseconds. */
  timeoutMs: number;
  logger: Logger;
}

// SQLite waits this long (milliseconds) for a lock another connection holds before failing.
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/**
 * Creates the Keyv instances for `STORE_URL`. Redis connects in the background: while it is away,
 * operations fail within `timeoutMs` (the offline queue is disabled) rather than wait, and every
 * Keyv throws instead of returning `undefined`, so callers can fail closed. Run {@link checkStores}
 * at start-up to learn and log whether the store is reachable.
 */
export function createStores(options: CreateStoresOptions): IrisStores {
  const location = parseStoreUrl(options.url);
  const logger = options.logger.child({ store: describeStoreLocation(location) });
  const logKeyvError = throttledErrorLog(logger, 'Store operation failed');
  const prefixed = (namespace: StoreNamespace) => `${options.keyPrefix}:${namespace}`;

  let redis: RedisClient | undefined;
  let makeKeyv: (namespace: StoreNamespace) => Keyv;

  if (location.kind === 'redis') {
    const client = createRedisClient(location.url, options.timeoutMs, logger);
    redis = client;
    makeKeyv = (namespace) => {
      const adapter = new KeyvRedis(client, {
        namespace: prefixed(namespace),
        throwOnErrors: true,
        throwOnConnectError: true,
      });
      adapter.on('error', logKeyvError);
      return new Keyv({
        store: adapter,
        namespace: prefixed(namespace),
        useKeyPrefix: false,
        throwOnErrors: true,
      });
    };
  } else if (location.kind === 'sqlite') {
    const file = resolve(location.file);
    mkdirSync(dirname(file), { recursive: true });
    makeKeyv = (namespace) =>
      new Keyv({
        store: new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: SQLITE_BUSY_TIMEOUT_MS }),
        namespace: prefixed(namespace),
        throwOnErrors: true,
      });
  } else {
    makeKeyv = (namespace) => new Keyv({ namespace: prefixed(namespace), throwOnErrors: true });
  }

  const namespaces = {} as Record<StoreNamespace, Keyv>;
  for (const namespace of storeNamespaces) {
    const keyv = makeKeyv(namespace);
    keyv.on('error', logKeyvError);
    namespaces[namespace] = keyv;
  }

  return {
    location,
    keyPrefix: options.keyPrefix,
    timeoutMs: options.timeoutMs,
    namespaces,
    redis,
    ready(timeoutMs = options.timeoutMs) {
      return redis === undefined ? Promise.resolve() : waitForReady(redis, timeoutMs);
    },
    async close() {
      if (redis !== undefined) {
        // One shared client: closing it through each Keyv would close it five times.
        if (redis.isReady) await redis.close().catch(() => redis?.destroy());
        else if (redis.isOpen) redis.destroy();
        return;
      }
      if (location.kind === 'sqlite') {
        await Promise.all(Object.values(namespaces).map((keyv) => keyv.disconnect()));
      }
    },
  };
}

function waitForReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.isReady) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis was not ready after ${timeoutMs} ms.`));
    }, timeoutMs).unref();
    client.once('ready', onReady);
  });
}
