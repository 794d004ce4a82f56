import type { JobCommand } from './job.js';

// Weight of the newest duration in the moving average.
const SMOOTHING = 0.3;

/**
 * An exponential moving average of how long jobs of each command run, in milliseconds, for wait
 * estimates. It starts from configured guesses and follows measured durations from then on.
 */
export class DurationEstimate {
  readonly #averageMs: Record<JobCommand, number>;

  constructor(initialMs: Record<JobCommand, number>) {
    this.#averageMs = { ...initialMs };
  }

  record(command: JobCommand, durationMs: number): void {
    this.#averageMs[command] = SMOOTHING * durationMs + (1 - SMOOTHING) * this.#averageMs[command];
  }

  averageMs(command: JobCommand): number {
    return this.#averageMs[command];
  }
}
