import { loadConfig } from '../../src/config/load.js';
import { Admission } from '../../src/limits/Admission.js';
import { createLimiter } from '../../src/limits/createLimiter.js';
import type { Logger } from '../../src/logging/logger.js';
import type { PlatformHandlers } from '../../src/queue/handlers.js';
import { GuildSettingsStore } from '../../src/settings/GuildSettingsStore.js';
import { guildSettingsDefaults } from '../../src/settings/guildSettingsDefaults.js';
import type { IrisStores } from '../../src/store/createStores.js';
import { createQueue } from './jobFixtures.js';

/** Admission over real stores and a real queue, with a clock the test moves (epoch milliseconds). */
export function createAdmission(
  stores: IrisStores,
  logger: Logger,
  handlers: PlatformHandlers,
  env: Record<string, string> = {},
) {
  const config = loadConfig({ env: { LOG_LEVEL: 'silent', ...env } });
  const defaults = guildSettingsDefaults(config);
  const settings = new GuildSettingsStore(stores.namespaces.settings, defaults, logger);
  const queue = createQueue(stores, logger, handlers, {
    ollama: config.OLLAMA_CONCURRENCY,
    huggingface: config.HF_CONCURRENCY,
  });
  const clock = { now: 1_700_000_000_000 };
  const admission = new Admission({
    limiter: createLimiter(stores),
    queue,
    settings,
    defaults,
    logger,
    budgetWindowMs: config.BUDGET_WINDOW_MS,
    now: () => clock.now,
  });
  return { admission, queue, settings, clock, config };
}
