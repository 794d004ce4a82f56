// Discord's epoch (2015-01-01T00:00:00Z) in milliseconds; snowflakes count from it.
const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** Returns a new snowflake id whose timestamp is now, as Discord's are. */
export function newSnowflake(): string {
  increment = (increment + 1n) % 4096n;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | increment).toString();
}

/**
 * Returns a new snowflake id for a guild that Discord routes to `shard` of `shardCount`: the shard of a
 * guild is `(guild_id >> 22) % shardCount`, so the timestamp part is moved back by at most `shardCount - 1` ms.
 */
export function newSnowflakeOnShard(shard: number, shardCount: number): string {
  increment = (increment + 1n) % 4096n;
  const count = BigInt(shardCount);
  const now = BigInt(Date.now()) - DISCORD_EPOCH;
  const timestamp = now - ((((now - BigInt(shard)) % count) + count) % count);
  return ((timestamp << 22n) | increment).toString();
}

/** The shard that receives a guild's events, as Discord computes it; DMs (no guild) go to shard 0. */
export function shardOf(guildId: string | undefined, shardCount: number): number {
  if (guildId === undefined) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
