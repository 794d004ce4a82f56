import { TokenBucket } from '../util/TokenBucket.js';

/**
 * Paces the updates of many streamed replies against one shared rate, first come first served.
 *
 * A platform allows a process only so many API calls a second (discord.js queues REST calls past 50 a
 * second). When every stream edits freely, the first message of a new answer waits behind those edits.
 * Streams pass `wait` to StreamingReply as `beforeUpdate`, which holds back updates after a reply's
 * first message but never the first message itself, so new answers appear at once and running ones
 * simply coalesce more text per edit.
 */
export class UpdatePacer {
  readonly #bucket: TokenBucket;
  readonly #waiting: Array<() => void> = [];
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /** @param updatesPerSecond - updates allowed per second for all streams together; must be positive. */
  constructor(updatesPerSecond: number) {
    this.#bucket = new TokenBucket(updatesPerSecond);
  }

  /** Resolves when this caller may make one update. Resolves at once after `close()`. */
  wait = (): Promise<void> => {
    if (this.#closed || (this.#waiting.length === 0 && this.#bucket.tryTake())) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.#schedule();
    });
  };

  /** Releases every waiting caller; later calls no longer wait. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const resolve of this.#waiting.splice(0)) resolve();
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        while (this.#waiting.length > 0 && this.#bucket.tryTake()) this.#waiting.shift()?.();
        if (this.#waiting.length > 0) this.#schedule();
      },
      Math.max(1, this.#bucket.msUntilToken()),
    );
    this.#timer.unref();
  }
}
