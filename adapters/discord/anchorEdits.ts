import { TokenBucket } from '../../src/util/TokenBucket.js';

interface AnchorState {
  /** The end of the chain of edits of this anchor. */
  tail: Promise<void>;
  /** Final edits requested so far; a refresh started before one of them is skipped. */
  finalEdits: number;
}

/**
 * Schedules the edits of every anchor message of the process. Edits of one anchor run one after
 * another, so a late queue-position edit can never overwrite the final "done" text. Keyed by
 * interaction id, which a job keeps across a restart.
 *
 * Two kinds of edit:
 * - final edits (`run`: done, failed, cancelled, interrupted) start as soon as the anchor's earlier
 *   edits are done, and are never dropped;
 * - refreshes (`refresh`: queue position, "Working…", model waits) are status chrome. They share one
 *   budget of `refreshesPerSecond` for the whole process, so they never crowd out the streamed answers
 *   in discord.js's global limit of 50 calls per second. Each anchor keeps only its latest refresh while
 *   it waits for the budget, and a final edit drops it.
 */
export class AnchorEdits {
  readonly #anchors = new Map<string, AnchorState>();
  /** Refreshes waiting for the budget, oldest first; a newer refresh of the same anchor keeps the place. */
  readonly #waiting = new Map<string, () => Promise<void>>();
  readonly #budget: TokenBucket;
  #timer: NodeJS.Timeout | undefined;

  /**
   * @param refreshesPerSecond - refreshes started per second across all anchors; final edits do not count.
   * @param now - clock in milliseconds, for the budget; tests pass their own.
   */
  constructor(refreshesPerSecond: number, now?: () => number) {
    this.#budget = new TokenBucket(refreshesPerSecond, undefined, now);
  }

  /**
   * Queues a final edit behind the earlier edits of the same anchor and drops the anchor's waiting
   * refresh, which the final edit makes stale. Resolves when it has run. Never rejects.
   */
  run(key: string, edit: () => Promise<void>): Promise<void> {
    this.#waiting.delete(key);
    const state = this.#stateOf(key);
    state.finalEdits++;
    return this.#chain(key, state, edit);
  }

  /**
   * Asks for a refresh of the anchor when the budget allows. `edit` runs at most once, and only if no
   * newer refresh or final edit of the anchor was requested before its turn, so it should read the
   * latest status when it runs.
   */
  refresh(key: string, edit: () => Promise<void>): void {
    this.#waiting.set(key, edit);
    this.#startRefreshes();
  }

  /** Refreshes waiting for the budget; final edits are never counted here. */
  get waitingRefreshes(): number {
    return this.#waiting.size;
  }

  /** Drops the waiting refreshes and stops the timer; edits already started still run. */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#waiting.clear();
  }

  #startRefreshes(): void {
    for (const [key, edit] of this.#waiting) {
      if (!this.#budget.tryTake()) break;
      this.#waiting.delete(key);
      const state = this.#stateOf(key);
      const finalEdits = state.finalEdits;
      void this.#chain(key, state, async () => {
        if (state.finalEdits === finalEdits) await edit();
      });
    }
    if (this.#waiting.size > 0 && this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#startRefreshes();
      }, this.#budget.msUntilToken());
      // Waiting refreshes are only status text: they must not keep the process alive.
      this.#timer.unref();
    }
  }

  #stateOf(key: string): AnchorState {
    let state = this.#anchors.get(key);
    if (state === undefined) {
      state = { tail: Promise.resolve(), finalEdits: 0 };
      this.#anchors.set(key, state);
    }
    return state;
  }

  #chain(key: string, state: AnchorState, edit: () => Promise<void>): Promise<void> {
    const next = state.tail.then(edit).catch(() => undefined);
    state.tail = next;
    void next.then(() => {
      if (state.tail === next && this.#anchors.get(key) === state) this.#anchors.delete(key);
    });
    return next;
  }
}
