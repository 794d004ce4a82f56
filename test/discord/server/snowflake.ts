// Discord's epoch (2015-01-01T00:00:00Z) in milliseconds; snowflakes count from it.
const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** Returns a new snowflake id whose timestamp is now, as Discord's are. */
export function newSnowflake(): string {
  increment = (increment + 1n) % 4096n;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | increment).toString();
}
