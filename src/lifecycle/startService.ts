import { hostname } from 'node:os';
import { ConfigError } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createCore, type IrisCore } from '../core/createCore.js';
import { type HealthServer, startHealthServer } from '../health/HealthServer.js';
import { ReadinessChecks } from '../health/ReadinessChecks.js';
import type { Logger } from '../logging/logger.js';
import { PrometheusMetrics } from '../metrics/metrics.js';
import { createJobSystem, type JobSystem } from '../queue/createJobSystem.js';
import type { AdapterEntry, RunningAdapter } from './PlatformAdapter.js';
import { StartupError } from './StartupError.js';
import { runStartupChecks } from './startupChecks.js';

export interface StartServiceOptions {
  config: Config;
  logger: Logger;
  /** The adapters to start; the caller has already picked those whose token is set. */
  adapters: AdapterEntry[];
  /** Handle SIGTERM and SIGINT (default true); tests that call {@link RunningService.shutdown} turn it off. */
  handleSignals?: boolean;
  /** Ends the process; replaceable so a test can see the exit code. */
  exit?: (code: number) => void;
  /**
   * Discord shard id when this process is one shard of `npm run start:sharded`: it labels the metrics
   * and makes this process's job owner distinct from the other shards' sharing the same Redis.
   */
  shard?: number;
}

/** A started service. */
export interface RunningService {
  core: IrisCore;
  metrics: PrometheusMetrics;
  /** Undefined when HEALTH_PORT is 0. */
  health: HealthServer | undefined;
  adapters: RunningAdapter[];
  /** The stores, limits and job queue every adapter shares. */
  jobSystem: JobSystem;
  /**
   * Stops gracefully: adapters stop taking work, running jobs get SHUTDOWN_GRACE_MS to finish (then
   * their signals abort), adapters close, the health listener closes. Later calls return the same promise.
   */
  shutdown(reason: string): Promise<void>;
}

// Time for adapters' close() beyond what is left of the grace period, in milliseconds, so a stuck socket
// cannot hold the exit. An adapter that waits for its own jobs in close() gets the rest of the grace period.
const CLOSE_TIMEOUT_MS = 10_000;
// Conventional exit codes for a process ended by a signal: 128 + the signal number.
const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/** Waits for the promises to settle for up to `timeoutMs`; returns the rejections, or undefined on timeout. */
async function settleWithin(promises: Promise<unknown>[], timeoutMs: number): Promise<unknown[] | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  const settled = await Promise.race([Promise.allSettled(promises), timeout]);
  clearTimeout(timer);
  if (settled === undefined) return undefined;
  return settled.filter((result) => result.status === 'rejected').map((result) => result.reason);
}

/**
 * Starts Iris as a long-running service: the health listener first (so /healthz responds during start-up),
 * then the start-up checks of `iris doctor`, then each adapter. A misconfiguration found by the checks
 * throws a {@link StartupError} naming the fix; a backend that is down only fails its readiness check.
 */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  const exitProcess = options.exit ?? ((code: number) => process.exit(code));
  // Log lines may still sit in the logger's buffer (stdout to a pipe is asynchronous); write them first.
  const exit = (code: number) => logger.flush(() => exitProcess(code));

  const metrics = new PrometheusMetrics({ processMetrics: true, shard: options.shard });
  const readiness = new ReadinessChecks();
  const core = createCore(config, logger, { metrics, readiness });

  let phase: 'starting' | 'running' | 'stopping' = 'starting';
  readiness.register('lifecycle', () => ({ ok: phase === 'running', detail: phase }));

  const health =
    config.HEALTH_PORT === 0
      ? undefined
      : await startHealthServer({
          host: config.HEALTH_HOST,
          port: config.HEALTH_PORT,
          readiness,
          registry: metrics.registry,
          logger,
        });
  if (health === undefined) logger.info('health listener is off (HEALTH_PORT=0)');

  const checks = await runStartupChecks(core);
  const fatal = checks.filter((check) => check.fatal);
  if (fatal.length > 0) {
    await health?.close();
    throw new StartupError(fatal);
  }

  readiness.register('vision backend', async (signal) => {
    const vision = await core.vision.check(signal);
    return vision.ok
      ? { ok: true, detail: `${config.VISION_MODEL} on ${config.OLLAMA_HOST}` }
      : { ok: false, detail: vision.error?.message ?? 'check failed' };
  });

  // One job system per process: every adapter shares its queue, so guilds and workspaces take turns.
  // Shards restore only their own jobs: a guild's interactions always reach the same shard.
  const jobSystem = await createJobSystem(config, logger, {
    metrics,
    ...(options.shard === undefined ? {} : { owner: `${hostname()}-shard-${options.shard}` }),
  });
  // A read of a key that never exists: it fails (within STORE_TIMEOUT_MS) only when the store is unreachable.
  readiness.register('store', async () => {
    await jobSystem.stores.namespaces.dedupe.get('readiness-probe');
    return { ok: true, detail: 'store reachable' };
  });

  const adapters: RunningAdapter[] = [];
  let starting: AdapterEntry | undefined;
  try {
    for (const entry of options.adapters) {
      starting = entry;
      adapters.push(await entry.start(core, { jobSystem }));
      logger.info({ platform: entry.name }, 'platform adapter started');
    }
  } catch (caught) {
    const error = adapterStartError(caught, starting);
    logger.error(
      { err: caught, platform: starting?.name },
      'a platform adapter failed to start; stopping the others',
    );
    await settleWithin(
      adapters.map(async (adapter) => {
        await adapter.stop();
        await adapter.close?.();
      }),
      CLOSE_TIMEOUT_MS,
    );
    await jobSystem.close();
    await health?.close();
    throw error;
  }
  phase = 'running';

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      phase = 'stopping';
      // Closing the gateway, the store and the health listener can leave nothing else keeping Node
      // alive while shutdown still awaits unref'd timers; Node would then exit before the last steps.
      const keepAlive = setInterval(() => {}, 60_000);
      const graceMs = config.SHUTDOWN_GRACE_MS;
      const deadline = Date.now() + graceMs;
      logger.info(
        { reason, graceMs, runningJobs: core.jobs.size },
        'stopping: no new work is accepted; running jobs get the grace period',
      );

      // No queued job starts from now on; they stay in the store for the next start's resume handlers.
      jobSystem.queue.close();
      const stopErrors = await settleWithin(
        adapters.map((adapter) => adapter.stop()),
        graceMs,
      );
      if (stopErrors === undefined) logger.warn({ graceMs }, 'adapters did not stop within the grace period');
      for (const error of stopErrors ?? []) logger.error({ err: error }, 'an adapter failed to stop');

      const drained = await core.jobs.drain(Math.max(0, deadline - Date.now()));
      if (drained.aborted > 0) {
        logger.warn(drained, 'grace period ended: aborted the jobs still running');
      } else {
        logger.info(drained, 'running jobs finished');
      }

      const closeTimeoutMs = Math.max(0, deadline - Date.now()) + CLOSE_TIMEOUT_MS;
      const closeErrors = await settleWithin(
        adapters.map(async (adapter) => adapter.close?.()),
        closeTimeoutMs,
      );
      if (closeErrors === undefined) logger.warn({ closeTimeoutMs }, 'adapters did not close in time');
      for (const error of closeErrors ?? []) logger.error({ err: error }, 'an adapter failed to close');

      await jobSystem.close().catch((error: unknown) => logger.error({ err: error }, 'store close failed'));
      await health?.close();
      clearInterval(keepAlive);
      logger.info({ reason }, 'stopped');
    })();
    return stopping;
  };

  if (options.handleSignals !== false) {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        logger.warn({ signal }, 'second signal: exiting at once without waiting for running jobs');
        exit(SIGNAL_EXIT_CODES[signal] ?? 1);
        return;
      }
      signalled = true;
      shutdown(signal).then(
        () => exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'graceful shutdown failed');
          exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  return { core, metrics, health, adapters, jobSystem, shutdown };
}

/** Names the adapter that failed and what to check, unless the error already says how to fix it. */
function adapterStartError(error: unknown, entry: AdapterEntry | undefined): unknown {
  if (entry === undefined || error instanceof ConfigError || error instanceof StartupError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const hint = entry.startupHint ? ` Check ${entry.startupHint}.` : '';
  return new Error(`${entry.name} failed to start: ${message}.${hint}`, { cause: error });
}
