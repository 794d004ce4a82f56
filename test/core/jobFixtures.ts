import type { Logger } from '../../src/logging/logger.js';
import type { JobHandler, PlatformHandlers } from '../../src/queue/handlers.js';
import { JobQueue } from '../../src/queue/JobQueue.js';
import { JobStore } from '../../src/queue/JobStore.js';
import type { Job, NewJob } from '../../src/queue/job.js';
import type { IrisStores } from '../../src/store/createStores.js';

/** Builds a new `/imagine` request on Discord. */
export function imagineRequest(guildId: string, userId: string, prompt = 'a lighthouse at dusk'): NewJob {
  return {
    command: 'imagine',
    platform: 'discord',
    guildId,
    channelId: 'c1',
    userId,
    payload: { prompt, interactionId: `i-${userId}` },
  };
}

/** A handler whose jobs run until the test releases them, recording start order. */
export function controlledHandler() {
  const started: Job[] = [];
  const release = new Map<string, () => void>();
  const signals = new Map<string, AbortSignal>();
  const run: JobHandler = (job, signal) => {
    started.push(job);
    signals.set(job.id, signal);
    return new Promise<void>((resolve, reject) => {
      release.set(job.id, resolve);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };
  return {
    run,
    started,
    signals,
    /** Finishes the running job with this id. */
    finish(jobId: string) {
      release.get(jobId)?.();
    },
  };
}

export function createQueue(
  stores: IrisStores,
  logger: Logger,
  handlers: PlatformHandlers,
  concurrency = { ollama: 1, huggingface: 1 },
  owner = 'test-host',
): JobQueue {
  const queue = new JobQueue({
    store: new JobStore(stores.namespaces.jobs, owner, logger),
    logger,
    concurrency,
    initialDurationMs: { describe: 1_000, imagine: 2_000 },
  });
  queue.register('discord', handlers);
  return queue;
}

/** Waits until `condition` holds, polling every few milliseconds (a test helper, not a timing assertion). */
export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
