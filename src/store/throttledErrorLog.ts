import type { Logger } from '../logging/logger.js';

/**
 * Returns a function that logs a store error at most once per `intervalMs` (milliseconds), with the
 * count of repeats since the last line, so a stopped Redis that fails every reconnect does not flood the log.
 */
export function throttledErrorLog(
  logger: Logger,
  message: string,
  intervalMs = 60_000,
): (error: unknown) => void {
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  let repeats = 0;

  return (error: unknown) => {
    const now = Date.now();
    if (now - lastLoggedAt < intervalMs) {
      repeats++;
      return;
    }
    logger.error({ err: error, repeatsSinceLastLine: repeats }, message);
    lastLoggedAt = now;
    repeats = 0;
  };
}
