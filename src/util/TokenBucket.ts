/**
 * A token bucket: `ratePerSecond` tokens a second, with at most `capacity` saved up. Callers take a token
 * before an action they want to pace, and ask how long until the next one when the bucket is empty.
 */
export class TokenBucket {
  readonly #ratePerMs: number;
  readonly #capacity: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  /**
   * @param ratePerSecond - tokens added per second; must be positive.
   * @param capacity - maximum tokens saved up, so the largest burst; defaults to one second's worth, at least 1.
   * @param now - clock in milliseconds; tests pass a frozen one.
   */
  constructor(ratePerSecond: number, capacity = Math.max(1, ratePerSecond), now = () => performance.now()) {
    if (!(ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be positive, got ${ratePerSecond}.`);
    this.#ratePerMs = ratePerSecond / 1000;
    this.#capacity = capacity;
    this.#now = now;
    this.#tokens = capacity;
    this.#updatedAt = now();
  }

  /** Takes one token when there is one; returns false, taking nothing, when the bucket is empty. */
  tryTake(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is available; 0 when one is available now. */
  msUntilToken(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#ratePerMs);
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#updatedAt) * this.#ratePerMs);
    this.#updatedAt = now;
  }
}
