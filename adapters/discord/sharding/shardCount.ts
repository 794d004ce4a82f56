import { DiscordAPIError, REST, Routes } from 'discord.js';
import type { Config } from '../../../src/config/schema.js';
import { ShardingError } from './ShardingError.js';

/** The part of GET /gateway/bot that sharding reads. */
interface GatewayBot {
  /** Shards Discord recommends: about one per 1,000 guilds; a shard may hold at most 2,500. */
  shards: number;
}

/**
 * The shard count `npm run start:sharded` runs: `DISCORD_SHARD_COUNT` when it is a number, else
 * Discord's recommendation from GET /gateway/bot. Asked through `DISCORD_API_URL` (discord.js's own
 * `'auto'` would always ask discord.com), with the bot token.
 */
export async function resolveShardCount(config: Config): Promise<number> {
  if (config.DISCORD_SHARD_COUNT !== 'auto') return config.DISCORD_SHARD_COUNT;
  const token = config.DISCORD_TOKEN;
  if (token === undefined)
    throw new ShardingError('DISCORD_TOKEN is not set; sharding runs the Discord bot.');

  const rest = new REST({ api: config.DISCORD_API_URL, retries: 1 }).setToken(token);
  try {
    const gateway = (await rest.get(Routes.gatewayBot())) as GatewayBot;
    if (!Number.isInteger(gateway.shards) || gateway.shards < 1) {
      throw new ShardingError(
        `GET /gateway/bot returned no usable shard count (${String(gateway.shards)}); set DISCORD_SHARD_COUNT.`,
      );
    }
    return gateway.shards;
  } catch (error) {
    if (error instanceof ShardingError) throw error;
    if (error instanceof DiscordAPIError && error.status === 401) {
      throw new ShardingError(
        'Discord refused DISCORD_TOKEN (401) when asked for the shard count; check the token.',
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ShardingError(
      `could not ask Discord for the shard count (GET /gateway/bot at ${config.DISCORD_API_URL}: ${reason}); ` +
        'set DISCORD_SHARD_COUNT to a number to start without asking.',
    );
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
