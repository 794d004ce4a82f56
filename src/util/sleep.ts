import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `ms` milliseconds; rejects with an AbortError when the signal fires first. The timer keeps the
 * process alive: a wait that is awaited is work in progress, and shutdown cancels it through the signal.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal });
}
