import { createClient } from '@keyv/redis';
import type { Logger } from '../logging/logger.js';
import { throttledErrorLog } from './throttledErrorLog.js';

// Reconnect back-off: 100 ms doubling up to this cap, in milliseconds.
const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * Creates a node-redis client (the one bundled with @keyv/redis, so Keyv and the limiter share one
 * connection) and starts connecting in the background. While the server is away, commands are
 * rejected at once (no offline queue) and every command times out after `timeoutMs` milliseconds.
 */
export function createRedisClient(url: string, timeoutMs: number, logger: Logger) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: timeoutMs },
    socket: {
      connectTimeout: timeoutMs,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS),
    },
  });
  client.on('error', throttledErrorLog(logger, 'Redis connection error; reconnecting'));
  client.on('ready', () => logger.info('Redis connection ready'));

  // connect() keeps retrying until the first connection succeeds, then resolves.
  client.connect().catch(throttledErrorLog(logger, 'Redis connect failed'));
  return client;
}

/** The node-redis client behind a `redis://` store. */
export type RedisClient = ReturnType<typeof createRedisClient>;
