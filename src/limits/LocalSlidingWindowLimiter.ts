import type { Keyv } from 'keyv';
import type { ConsumeResult, SlidingWindowLimiter, WindowRule, WindowUsage } from './SlidingWindowLimiter.js';

/**
 * A sliding-window log kept in a Keyv namespace (memory or SQLite) as an array of hit times.
 * Keyv's get-then-set is not atomic, so every operation runs one at a time behind an in-process
 * lock: exact inside one process, but two processes writing the same SQLite file can both admit a
 * request for the last slot. Use Redis when several processes share limits.
 */
export class LocalSlidingWindowLimiter implements SlidingWindowLimiter {
  readonly scope = 'process';
  #tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly keyv: Keyv) {}

  consume(rules: readonly WindowRule[], now: number): Promise<ConsumeResult> {
    return this.#exclusive(async () => {
      const logs: number[][] = [];
      for (const [ruleIndex, rule] of rules.entries()) {
        const hits = await this.#liveHits(rule, now);
        if (hits.length >= rule.limit) {
          return { ok: false, ruleIndex, retryAt: nextSlotAt(hits, rule) };
        }
        logs.push(hits);
      }

      for (const [index, rule] of rules.entries()) {
        const hits = logs[index] ?? [];
        hits.push(now);
        // TTL in milliseconds: the log is worthless once its newest hit has left the window.
        await this.keyv.set(windowKey(rule), hits, rule.windowMs);
      }
      return { ok: true };
    });
  }

  usage(rule: WindowRule, now: number): Promise<WindowUsage> {
    return this.#exclusive(async () => {
      const hits = await this.#liveHits(rule, now);
      const oldest = hits[0];
      return {
        used: hits.length,
        oldestExpiresAt: oldest === undefined ? undefined : oldest + rule.windowMs,
      };
    });
  }

  async #liveHits(rule: WindowRule, now: number): Promise<number[]> {
    const stored = await this.keyv.get<number[]>(windowKey(rule));
    return (stored ?? []).filter((hit) => hit > now - rule.windowMs).sort((a, b) => a - b);
  }

  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(operation);
    // The next operation waits for this one whether it succeeds or fails.
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

function windowKey(rule: WindowRule): string {
  return `window:${rule.key}`;
}

/**
 * When a slot opens: the hit that must leave the window for the count to drop below the limit.
 * With a limit of 0 no slot ever opens, which callers report as a disabled command.
 */
export function nextSlotAt(sortedHits: readonly number[], rule: WindowRule): number {
  const blocking = sortedHits[sortedHits.length - rule.limit];
  return blocking === undefined ? Number.POSITIVE_INFINITY : blocking + rule.windowMs;
}
