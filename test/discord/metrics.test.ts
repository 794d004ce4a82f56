import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusMetrics } from '../../src/metrics/metrics.js';
import { fixture, type Harness, jobEnded, startHarness } from './harness.js';
import { runSlashCommand } from './server/users.js';

// Enough tokens to stream for about half a second, so several edits of one message meet the limit.
const ANSWER = Array.from({ length: 30 }, (_, index) => `Sentence ${index + 1} about the pier. `);

describe('Discord platform metrics', () => {
  let harness: Harness;
  let metrics: PrometheusMetrics;
  let image: Buffer;

  beforeAll(async () => {
    image = await readFile(fixture('waterview.jpg'));
    metrics = new PrometheusMetrics();
    harness = await startHarness({ metrics });
  });
  afterAll(async () => {
    await harness?.close();
  });

  /** Reads the value of a counter's series with exactly these labels (shard included); 0 when absent. */
  async function counter(name: string, labels: Record<string, string>): Promise<number> {
    const metric = metrics.registry.getSingleMetric(name);
    expect(metric).toBeDefined();
    const { values } = await (metric as NonNullable<typeof metric>).get();
    const series = values.find(
      (value) =>
        Object.keys(value.labels).length === Object.keys(labels).length &&
        Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected),
    );
    return series?.value ?? 0;
  }

  const describeWaterview = () =>
    runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user },
      'describe',
      {},
      { image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image } },
    );

  it('counts 429 on message edits by route', async () => {
    const route = { platform: 'discord', route: '/channels/:id/messages/:id', shard: '0' };
    const before = await counter('iris_platform_rate_limited_total', route);
    harness.ollama.scenario = { tokens: ANSWER, tokenDelayMs: 15 };
    harness.discord.faults.rateLimits.push({
      method: 'PATCH',
      path: /^\/channels\/\d+\/messages\/\d+$/,
      limit: 1,
      windowMs: 400,
    });
    try {
      const interaction = describeWaterview();
      const ended = await jobEnded(harness, interaction.id);
      expect(ended.msg).toBe('job done');
    } finally {
      harness.discord.faults.rateLimits.length = 0;
      harness.ollama.scenario = { tokenDelayMs: 5 };
    }

    const answered429 = harness.discord.calls.filter((call) => call.status === 429);
    expect(answered429.length).toBeGreaterThan(0);
    const counted = (await counter('iris_platform_rate_limited_total', route)) - before;
    expect(counted).toBeGreaterThanOrEqual(answered429.length);
    // Route labels are templates: no channel or message id appears in any of them.
    const text = await metrics.registry.metrics();
    const routes = text.split('\n').filter((line) => line.startsWith('iris_platform_rate_limited_total{'));
    for (const line of routes) expect(line).not.toMatch(/\d{17,}/);
  });

  it('counts 50013 on thread creation by code', async () => {
    const code = { platform: 'discord', code: '50013', shard: '0' };
    const before = await counter('iris_platform_api_errors_total', code);
    harness.discord.faults.fail({
      method: 'POST',
      path: /^\/channels\/\d+\/messages\/\d+\/threads$/,
      code: 50013,
    });
    const interaction = describeWaterview();
    const ended = await jobEnded(harness, interaction.id);
    expect(ended.msg).toBe('job done');

    const rejected = harness.discord.calls.filter((call) => call.code === 50013);
    expect(rejected).toHaveLength(1);
    expect((await counter('iris_platform_api_errors_total', code)) - before).toBe(1);
  });

  it('counts 10008 on an anchor edit by code', async () => {
    const code = { platform: 'discord', code: '10008', shard: '0' };
    const before = await counter('iris_platform_api_errors_total', code);
    // The anchor's final edit goes through the interaction's webhook route.
    harness.discord.faults.fail({
      method: 'PATCH',
      path: /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/,
      code: 10008,
      times: 10,
    });
    try {
      const interaction = describeWaterview();
      await jobEnded(harness, interaction.id);
      await harness.waitForLog(
        (line) =>
          line.interaction === interaction.id && line.msg === 'anchor message was deleted; not updated',
      );
    } finally {
      harness.discord.faults.faults.length = 0;
    }
    const rejected = harness.discord.calls.filter((call) => call.code === 10008);
    expect(rejected.length).toBeGreaterThan(0);
    expect((await counter('iris_platform_api_errors_total', code)) - before).toBe(rejected.length);
  });
});
