import { hostname } from 'node:os';
import type { Config } from '../config/schema.js';
import { Admission } from '../limits/Admission.js';
import { createLimiter } from '../limits/createLimiter.js';
import type { Logger } from '../logging/logger.js';
import type { IrisMetrics } from '../metrics/IrisMetrics.js';
import { GuildSettingsStore } from '../settings/GuildSettingsStore.js';
import { guildSettingsDefaults } from '../settings/guildSettingsDefaults.js';
import { checkStores, type StoreHealth } from '../store/checkStores.js';
import { createStores, type IrisStores } from '../store/createStores.js';
import { JobQueue } from './JobQueue.js';
import { JobStore } from './JobStore.js';

// How long close() waits for running jobs to end and leave the store, in milliseconds.
const CLOSE_WAIT_MS = 5_000;

/** Everything an adapter needs for limits, settings and the queue. */
export interface JobSystem {
  stores: IrisStores;
  settings: GuildSettingsStore;
  queue: JobQueue;
  admission: Admission;
  /** The start-up check's result; `/imagine` is refused while the store is unreachable either way. */
  health: StoreHealth;
  close(): Promise<void>;
}

export interface CreateJobSystemOptions {
  /**
   * Whose jobs this process restores after a restart. Processes sharing one Redis need distinct
   * owners; the default is the host name, which suits one process per host.
   */
  owner?: string;
  /** Receives queue, job and refusal measurements; nothing is recorded without it. */
  metrics?: IrisMetrics;
}

/**
 * Creates the stores from `STORE_URL`, checks them (logging the outcome), and builds the settings
 * store, the queue and the admission gate. Then register each platform's handlers on `queue` and
 * call `queue.restore()` once.
 */
export async function createJobSystem(
  config: Config,
  logger: Logger,
  options: CreateJobSystemOptions = {},
): Promise<JobSystem> {
  const stores = createStores({
    url: config.STORE_URL,
    keyPrefix: config.STORE_KEY_PREFIX,
    timeoutMs: config.STORE_TIMEOUT_MS,
    logger,
  });
  const health = await checkStores(stores, logger);

  const defaults = guildSettingsDefaults(config);
  const settings = new GuildSettingsStore(stores.namespaces.settings, defaults, logger);
  const queue = new JobQueue({
    store: new JobStore(stores.namespaces.jobs, options.owner ?? hostname(), logger),
    logger,
    concurrency: { ollama: config.OLLAMA_CONCURRENCY, huggingface: config.HF_CONCURRENCY },
    metrics: options.metrics,
  });
  const admission = new Admission({
    limiter: createLimiter(stores),
    queue,
    settings,
    defaults,
    logger,
    budgetWindowMs: config.BUDGET_WINDOW_MS,
    metrics: options.metrics,
  });

  return {
    stores,
    settings,
    queue,
    admission,
    health,
    async close() {
      queue.close();
      // Ended jobs are deleted from the store after their handler returns; let those deletions finish.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_WAIT_MS).unref();
      });
      await Promise.race([queue.quiet(), timeout]);
      clearTimeout(timer);
      await stores.close();
    },
  };
}
