/** This process's place among the shards, as the ShardingManager told it. */
export interface ShardPlacement {
  /** Shard id, from 0. */
  id: number;
  /** Shards in all. */
  count: number;
}

/** The IPC message the manager sends a shard to shut it down gracefully, as SIGTERM would. */
export const SHUTDOWN_MESSAGE = { iris: 'shutdown' } as const;

/**
 * The shard this process runs, when discord.js's ShardingManager spawned it: the manager sets
 * `SHARDING_MANAGER`, `SHARDS` (this process's shard id) and `SHARD_COUNT` in the child's environment.
 * Undefined for `npm start`, which runs unsharded.
 */
export function shardOfProcess(env: NodeJS.ProcessEnv = process.env): ShardPlacement | undefined {
  if (env.SHARDING_MANAGER === undefined) return undefined;
  const id = Number(env.SHARDS);
  const count = Number(env.SHARD_COUNT);
  if (!Number.isInteger(id) || !Number.isInteger(count) || id < 0 || id >= count) {
    throw new Error(
      `SHARDS=${String(env.SHARDS)} and SHARD_COUNT=${String(env.SHARD_COUNT)} are not a shard`,
    );
  }
  return { id, count };
}

/**
 * Calls `shutdown` once when the manager asks this shard to stop (see {@link SHUTDOWN_MESSAGE}) or when
 * the manager is gone (its IPC channel closed), so a shard never outlives a killed manager.
 */
export function onManagerShutdown(shutdown: () => void): void {
  let asked = false;
  const stop = () => {
    if (asked) return;
    asked = true;
    shutdown();
  };
  process.on('message', (message: unknown) => {
    if ((message as { iris?: unknown } | null)?.iris === SHUTDOWN_MESSAGE.iris) stop();
  });
  process.once('disconnect', stop);
}
