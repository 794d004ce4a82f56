import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/logging/logger.js';
import { PrometheusMetrics } from '../../src/metrics/metrics.js';
import { createJobSystem, type JobSystem } from '../../src/queue/createJobSystem.js';
import { imagineRequest } from './jobFixtures.js';

let system: JobSystem | undefined;
afterEach(async () => {
  await system?.close();
  system = undefined;
});

async function sample(
  metrics: PrometheusMetrics,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  const value = metric?.values.find((entry) =>
    Object.entries(labels).every(
      ([key, label]) => String((entry.labels as Record<string, unknown>)[key]) === label,
    ),
  );
  return Number(value?.value ?? 0);
}

describe('queue and admission metrics', () => {
  it('counts waits, ended jobs and refusals', async () => {
    const metrics = new PrometheusMetrics();
    const config = loadConfig({
      env: { STORE_URL: 'memory', USER_COOLDOWN_MS: '60000', LOG_LEVEL: 'silent' },
    });
    system = await createJobSystem(config, createLogger({ level: 'silent' }), {
      metrics,
      owner: 'metrics-test',
    });
    system.queue.register('discord', { run: async () => {}, resume: async () => 'requeue' });

    const first = await system.admission.admit(imagineRequest('g1', 'u1'));
    expect(first.accepted).toBe(true);
    await system.queue.idle();

    const second = await system.admission.admit(imagineRequest('g1', 'u1'));
    expect(second.accepted).toBe(false);

    const waits = (await metrics.registry.getSingleMetricAsString('iris_queue_wait_seconds')).match(
      /iris_queue_wait_seconds_count\{[^}]*backend="huggingface"[^}]*\} (\d+)/,
    );
    expect(waits?.[1]).toBe('1');
    expect(
      await sample(metrics, 'iris_jobs_total', {
        platform: 'discord',
        command: 'imagine',
        outcome: 'finished',
      }),
    ).toBe(1);
    expect(
      await sample(metrics, 'iris_rate_limit_refusals_total', {
        platform: 'discord',
        command: 'imagine',
        limit: 'cooldown',
      }),
    ).toBe(1);
    expect(await sample(metrics, 'iris_queue_length', { backend: 'huggingface' })).toBe(0);
  });
});
