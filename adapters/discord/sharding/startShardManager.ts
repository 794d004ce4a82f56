import type { ChildProcess } from 'node:child_process';
import { type Shard, ShardingManager } from 'discord.js';
import type { Logger } from '../../../src/logging/logger.js';
import { SHUTDOWN_MESSAGE } from './shardProcess.js';

export interface StartShardManagerOptions {
  /** The entry each shard process runs: `npm start`'s, dist/adapters/main.js. */
  file: string;
  token: string;
  shardCount: number;
  logger: Logger;
  /** Time between two shards' starts, in milliseconds: Discord allows one IDENTIFY per 5 s per bucket. */
  spawnDelayMs?: number;
  /** How long a shard may take to reach READY, in milliseconds. */
  readyTimeoutMs?: number;
}

/** The running manager. */
export interface RunningShardManager {
  manager: ShardingManager;
  /** Resolves once every shard is ready; rejects when one did not become ready in time. */
  ready: Promise<void>;
  /**
   * Asks every shard to shut down as SIGTERM would (finish or persist its jobs) and waits until every
   * shard process has exited; resolves with their exit codes. No shard is respawned from then on.
   */
  shutdown(): Promise<Array<number | null>>;
  /** Kills every shard process at once (a second signal). */
  kill(): void;
}

// discord.js's default: a little over Discord's 5-second IDENTIFY spacing.
const DEFAULT_SPAWN_DELAY_MS = 5_500;
const DEFAULT_READY_TIMEOUT_MS = 60_000;

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Starts discord.js's ShardingManager: one child process per shard, each running `file` with the
 * shard's id in its environment; a shard whose process dies is started again. Returns at once, so a
 * signal during start-up can stop the shards already started; `ready` tells when all are.
 */
export function startShardManager(options: StartShardManagerOptions): RunningShardManager {
  const { logger } = options;
  const manager = new ShardingManager(options.file, {
    token: options.token,
    totalShards: options.shardCount,
    mode: 'process',
    respawn: true,
  });
  const log = (shard: Shard) => logger.child({ shard: shard.id });
  manager.on('shardCreate', (shard) => {
    log(shard).info({ shardCount: options.shardCount }, 'shard process starting');
    shard.on('ready', () => log(shard).info('shard ready'));
    shard.on('death', (child) =>
      log(shard).warn({ exitCode: 'exitCode' in child ? child.exitCode : undefined }, 'shard process exited'),
    );
    shard.on('error', (error) => log(shard).error({ err: error }, 'shard process error'));
  });

  const ready = manager
    .spawn({
      amount: options.shardCount,
      delay: options.spawnDelayMs ?? DEFAULT_SPAWN_DELAY_MS,
      timeout: options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
    })
    .then(() => undefined);

  const processes = () =>
    [...manager.shards.values()]
      .map((shard) => shard.process)
      .filter((child): child is ChildProcess => child !== null);
  let stopping: Promise<Array<number | null>> | undefined;
  return {
    manager,
    ready,
    shutdown() {
      stopping ??= (async () => {
        manager.respawn = false;
        const children = processes();
        for (const child of children) {
          if (child.connected) child.send(SHUTDOWN_MESSAGE);
          else child.kill('SIGTERM');
        }
        return Promise.all(children.map(exited));
      })();
      return stopping;
    },
    kill() {
      manager.respawn = false;
      for (const child of processes()) child.kill('SIGKILL');
    },
  };
}
