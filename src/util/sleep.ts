import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms` milliseconds; rejects with an AbortError when the signal fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal, ref: false });
}
