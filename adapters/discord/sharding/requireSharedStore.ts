import type { Config } from '../../../src/config/schema.js';
import { parseStoreUrl } from '../../../src/store/storeUrl.js';
import { ShardingError } from './ShardingError.js';

/**
 * Refuses to run several shard processes on a store they cannot share. Each shard is its own process,
 * and limits, guild settings and the queue hold only when every process reads and writes one Redis:
 * with `memory` each shard would have its own budgets, and SQLite takes one process at a time.
 */
export function requireSharedStore(config: Config, shardCount: number): void {
  if (shardCount <= 1) return;
  const store = parseStoreUrl(config.STORE_URL);
  if (store.kind === 'redis') return;
  const current = store.kind === 'memory' ? 'memory' : `sqlite://${store.file}`;
  throw new ShardingError(
    `${shardCount} shard processes must share limits, settings and the queue, but STORE_URL is ${current}, ` +
      `which ${store.kind === 'memory' ? 'each process keeps to itself' : 'one process can open at a time'}. ` +
      'Set STORE_URL=redis://<host>:<port> (every shard uses the same Redis), or DISCORD_SHARD_COUNT=1.',
  );
}
