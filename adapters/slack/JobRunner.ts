import type { Logger } from '../../src/logging/logger.js';
import type { SlackJob } from './jobs.js';
import { performJob } from './performJob.js';
import type { SlackContext } from './SlackContext.js';
import { fromSlackError } from './slackErrors.js';

/**
 * Runs work after Slack's request was acknowledged, so no handler keeps Slack waiting past its
 * 3-second limit. Jobs run at once.
 * TODO: hand jobs to the shared durable queue once the adapter adopts it; performJob already takes
 * plain data.
 */
export class JobRunner {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly context: SlackContext,
    private readonly logger: Logger,
  ) {}

  /**
   * Starts a job through the core's job tracker, so shutdown waits for it and aborts it when the grace
   * period runs out. performJob reports the job's failures itself.
   */
  run(job: SlackJob): void {
    const { jobs } = this.context.core;
    this.track(
      jobs.run((signal) =>
        performJob({ ...this.context, signal: AbortSignal.any([this.context.signal, signal]) }, job),
      ),
    );
  }

  /** Starts a handler's remaining work, such as posting an anchor message; a failure is logged. */
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

  private track(task: Promise<void>): void {
    this.running.add(task);
    const remove = () => {
      this.running.delete(task);
    };
    task.then(remove, remove);
  }

  /** Resolves once every job and deferred task started so far has ended, including ones they start. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    this.logger.debug('no Slack jobs running');
  }
}
