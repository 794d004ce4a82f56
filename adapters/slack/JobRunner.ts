import type { Logger } from '../../src/logging/logger.js';
import { fromSlackError } from './slackErrors.js';

/**
 * Tracks the adapter's work after Slack's request was acknowledged (admission, status edits, and the
 * jobs the queue runs), so no handler keeps Slack waiting past its 3-second limit and tests and
 * shutdown can wait for all of it.
 */
export class JobRunner {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  /** Tasks not yet settled. */
  get size(): number {
    return this.running.size;
  }

  /** Starts a handler's remaining work, such as admission or posting a message; a failure is logged. */
  defer(logger: Logger, work: () => Promise<void>): void {
    this.track(
      work().catch((error: unknown) => {
        const failure = fromSlackError(error);
        logger.error(
          { err: failure, code: failure.code, ...failure.details, adminHint: failure.adminHint },
          'handler failed',
        );
      }),
    );
  }

  /** Tracks a promise until it settles; its rejection stays with the caller. */
  track(task: Promise<unknown>): void {
    this.running.add(task);
    const remove = () => {
      this.running.delete(task);
    };
    task.then(remove, remove);
  }

  /** Resolves once every task started so far has ended, including ones they start. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    this.logger.debug('no Slack work running');
  }
}
