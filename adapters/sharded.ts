import './requireNode.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, secretValues } from '../src/config/load.js';
import { createLogger } from '../src/logging/logger.js';
import { requireSharedStore } from './discord/sharding/requireSharedStore.js';
import { ShardingError } from './discord/sharding/ShardingError.js';
import { resolveShardCount } from './discord/sharding/shardCount.js';
import { startShardManager } from './discord/sharding/startShardManager.js';

// `npm run start:sharded`: discord.js's ShardingManager runs `npm start`'s entry once per shard, each a
// child process. This process only supervises them; each shard serves its own health port (HEALTH_PORT
// plus its shard id) and shares limits, settings and the queue with the others through Redis.
const shardEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.js');
// Conventional exit codes for a process ended by a signal: 128 + the signal number.
const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

async function main(): Promise<void> {
  const config = loadConfig();
  const token = config.DISCORD_TOKEN;
  if (token === undefined) {
    throw new ShardingError('start:sharded runs the Discord bot in shards: set DISCORD_TOKEN.');
  }
  const logger = createLogger({ level: config.LOG_LEVEL, secrets: secretValues(config) }).child({
    component: 'shard manager',
  });

  const shardCount = await resolveShardCount(config);
  requireSharedStore(config, shardCount);
  logger.info(
    {
      shardCount,
      source: config.DISCORD_SHARD_COUNT === 'auto' ? 'GET /gateway/bot' : 'DISCORD_SHARD_COUNT',
      healthPorts:
        config.HEALTH_PORT === 0 ? 'off' : `${config.HEALTH_PORT}-${config.HEALTH_PORT + shardCount - 1}`,
    },
    'starting Discord shards',
  );

  const running = startShardManager({ file: shardEntry, token, shardCount, logger });
  let stopping: Promise<unknown> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping !== undefined) {
      logger.warn({ signal }, 'second signal: killing the shard processes at once');
      running.kill();
      process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
    }
    logger.info({ signal }, 'stopping: asking every shard to shut down gracefully');
    stopping = running.shutdown().then((codes) => {
      const failed = codes.filter((code) => code !== 0).length;
      if (failed > 0) logger.error({ codes }, 'a shard did not shut down cleanly');
      else logger.info('every shard stopped');
      process.exit(failed > 0 ? 1 : 0);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  try {
    await running.ready;
  } catch (error) {
    if (stopping !== undefined) return;
    running.kill();
    throw error;
  }
  logger.info({ shardCount }, 'every shard is ready');
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof ShardingError;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`iris: ${known ? message : `sharded start-up failed: ${message}`}\n`);
  process.exit(1);
});
