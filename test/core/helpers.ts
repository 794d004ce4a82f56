import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { createClient } from '@keyv/redis';
import { createLogger, type Logger } from '../../src/logging/logger.js';

/** The Redis server given by `.ci/run` or the developer; tests that need it skip without it. */
export const redisUrl = process.env.REDIS_URL;
export const noRedisReason = 'REDIS_URL is not set: start redis-server and export REDIS_URL to run this test';

/** A logger whose JSON lines are kept in `lines` for assertions. */
export function captureLogger(level = 'info'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ level, pretty: false, destination }), lines };
}

/** A key prefix no other test run uses, so tests never touch each other's keys in a shared Redis. */
export function uniquePrefix(label: string): string {
  return `iris-test-${label}-${randomUUID().slice(0, 8)}`;
}

/** Deletes the keys under one test prefix (never the whole database: the Redis may be shared). */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    await client.close();
  }
}

/** A port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('No port assigned');
  return address.port;
}
