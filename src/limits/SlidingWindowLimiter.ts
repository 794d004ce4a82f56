/** One sliding-window limit: at most `limit` hits within any `windowMs` milliseconds for `key`. */
export interface WindowRule {
  key: string;
  limit: number;
  windowMs: number;
}

export type ConsumeResult =
  | { ok: true }
  /** `ruleIndex` names the first rule that had no room; a slot opens at `retryAt` (epoch milliseconds). */
  | { ok: false; ruleIndex: number; retryAt: number };

/** Use of one rule right now. */
export interface WindowUsage {
  used: number;
  /** When the oldest hit leaves the window (epoch milliseconds); absent when the window is empty. */
  oldestExpiresAt: number | undefined;
}

/**
 * A sliding-window log of hits per key. `consume` is all-or-nothing across its rules: either every
 * rule has room and each records one hit at `now`, or none records anything. That keeps a cooldown
 * refusal from spending the guild's budget and the other way round.
 */
export interface SlidingWindowLimiter {
  /** Whether the guarantee holds across processes (Redis) or only inside this one (memory, SQLite). */
  readonly scope: 'process' | 'shared';
  consume(rules: readonly WindowRule[], now: number): Promise<ConsumeResult>;
  usage(rule: WindowRule, now: number): Promise<WindowUsage>;
}
