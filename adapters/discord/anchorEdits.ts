/**
 * Runs the edits of each anchor message one after another, so a late queue-position edit can never
 * overwrite the final "done" text. Keyed by interaction id, which a job keeps across a restart.
 */
export class AnchorEdits {
  readonly #tails = new Map<string, Promise<void>>();

  /** Queues `edit` behind the earlier edits of the same anchor; resolves when it has run. Never rejects. */
  run(key: string, edit: () => Promise<void>): Promise<void> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(edit).catch(() => undefined);
    this.#tails.set(key, next);
    void next.then(() => {
      if (this.#tails.get(key) === next) this.#tails.delete(key);
    });
    return next;
  }
}
