import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../store/createRedisClient.js';
import type { ConsumeResult, SlidingWindowLimiter, WindowRule, WindowUsage } from './SlidingWindowLimiter.js';

// Runs atomically inside Redis, so concurrent callers in any number of processes see each other's hits.
// KEYS: one sorted set per rule (member = hit id, score = hit time in ms).
// ARGV: now, hit id, then limit and window (ms) per rule.
// Returns {0, 0} when every rule had room (one hit recorded in each), else {rule number, next slot time}.
const CONSUME_SCRIPT = `
local now = tonumber(ARGV[1])
local member = ARGV[2]
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[1 + i * 2])
  local window = tonumber(ARGV[2 + i * 2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    if limit <= 0 then
      return {i, -1}
    end
    local blocking = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    return {i, tonumber(blocking[2]) + window}
  end
end
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[2 + i * 2])
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window)
end
return {0, 0}
`;

/**
 * A sliding-window log in Redis sorted sets, checked and updated by one Lua script per call, so it is
 * exact across every process sharing the server. Hit times come from the caller's clock; processes
 * whose clocks disagree by more than a few milliseconds shift each other's windows by that much.
 */
export class RedisSlidingWindowLimiter implements SlidingWindowLimiter {
  readonly scope = 'shared';

  /** @param keyPrefix - prefix of every key this limiter writes, for example `iris:limits`. */
  constructor(
    private readonly client: RedisClient,
    private readonly keyPrefix: string,
  ) {}

  async consume(rules: readonly WindowRule[], now: number): Promise<ConsumeResult> {
    const args = [String(now), `${now}:${randomUUID()}`];
    for (const rule of rules) args.push(String(rule.limit), String(rule.windowMs));

    const reply = (await this.client.eval(CONSUME_SCRIPT, {
      keys: rules.map((rule) => this.#key(rule)),
      arguments: args,
    })) as [number, number];

    const [ruleNumber, retryAt] = reply;
    if (ruleNumber === 0) return { ok: true };
    return {
      ok: false,
      ruleIndex: ruleNumber - 1,
      retryAt: retryAt < 0 ? Number.POSITIVE_INFINITY : retryAt,
    };
  }

  async usage(rule: WindowRule, now: number): Promise<WindowUsage> {
    const key = this.#key(rule);
    await this.client.zRemRangeByScore(key, '-inf', now - rule.windowMs);
    const used = await this.client.zCard(key);
    const oldest = await this.client.zRangeWithScores(key, 0, 0);
    const first = oldest[0];
    return { used, oldestExpiresAt: first === undefined ? undefined : first.score + rule.windowMs };
  }

  #key(rule: WindowRule): string {
    return `${this.keyPrefix}:window:${rule.key}`;
  }
}
