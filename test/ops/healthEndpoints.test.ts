import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { HuggingFaceImages } from '../../src/backends/huggingface/HuggingFaceImages.js';
import { OllamaVision } from '../../src/backends/ollama/OllamaVision.js';
import { type HealthServer, startHealthServer } from '../../src/health/HealthServer.js';
import { ReadinessChecks } from '../../src/health/ReadinessChecks.js';
import { createLogger } from '../../src/logging/logger.js';
import { PrometheusMetrics } from '../../src/metrics/metrics.js';
import { startHuggingFaceServer } from '../servers/huggingface.js';
import { startOllamaServer } from '../servers/ollama.js';

const logger = createLogger({
  level: 'silent',
  pretty: false,
  destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(
  readiness = new ReadinessChecks(),
  metrics = new PrometheusMetrics(),
): Promise<HealthServer> {
  const server = await startHealthServer({
    host: '127.0.0.1',
    port: 0,
    readiness,
    registry: metrics.registry,
    logger,
  });
  cleanups.push(() => server.close());
  return server;
}

/** The value of one sample line, such as `iris_jobs_total{command="describe",…} 2`; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).match(/^\{(.*)\}/)?.[1] ?? '';
    const present = labelText.split(/,(?=\w+=")/);
    if (wanted.every((pair) => present.includes(pair))) return Number(line.split(' ').at(-1));
  }
  return 0;
}

describe('/healthz', () => {
  it('returns 200 while the process runs', async () => {
    const server = await serve();
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('rejects other methods with 405 and unknown paths with 404', async () => {
    const server = await serve();
    const post = await fetch(`${server.url}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const missing = await fetch(`${server.url}/nothing`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toContain('/readyz');
  });
});

describe('/readyz', () => {
  it('returns 200 when every check passes', async () => {
    const readiness = new ReadinessChecks();
    readiness.register('gateway', () => ({ ok: true, detail: 'connected' }));
    readiness.register('store', async () => true);
    const server = await serve(readiness);

    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      failing: [],
      checks: [
        { name: 'gateway', ok: true, detail: 'connected' },
        { name: 'store', ok: true },
      ],
    });
  });

  it('returns 503 naming each failing check', async () => {
    const readiness = new ReadinessChecks(200);
    readiness.register('gateway', () => ({ ok: true }));
    readiness.register('store', () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    });
    readiness.register('vision backend', () => ({ ok: false, detail: 'Ollama is not reachable' }));
    readiness.register(
      'slow',
      (signal) => new Promise<boolean>((resolve) => signal.addEventListener('abort', () => resolve(true))),
    );
    const server = await serve(readiness);

    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; failing: string[]; checks: unknown[] };
    expect(body.status).toBe('not ready');
    expect(body.failing).toEqual(['store', 'vision backend', 'slow']);
    expect(body.checks).toContainEqual({
      name: 'store',
      ok: false,
      detail: 'connect ECONNREFUSED 127.0.0.1:6379',
    });
    expect(body.checks).toContainEqual({ name: 'slow', ok: false, detail: 'check timed out after 200 ms' });
  });

  it('turns ready again once the failing check passes', async () => {
    const readiness = new ReadinessChecks();
    let connected = false;
    readiness.register('gateway', () => connected);
    const server = await serve(readiness);

    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    connected = true;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('drops a check once it is unregistered', async () => {
    const readiness = new ReadinessChecks();
    const unregister = readiness.register('gateway', () => false);
    const server = await serve(readiness);
    unregister();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});

describe('/metrics', () => {
  it('lists every Iris series in Prometheus text format', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: true });
    metrics.jobFinished({ platform: 'discord', command: 'describe', outcome: 'done', durationMs: 1500 });
    metrics.queueLength('ollama', 3);
    metrics.queueWait({ backend: 'ollama', command: 'describe', waitMs: 250 });
    metrics.platformApiError({ platform: 'slack', code: 'not_in_channel' });
    metrics.platformRateLimited({ platform: 'discord', route: '/channels/:id/messages' });
    metrics.rateLimitRefusal({ platform: 'discord', command: 'imagine', limit: 'guild-budget' });
    const server = await serve(new ReadinessChecks(), metrics);

    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();

    for (const name of [
      'iris_jobs_total',
      'iris_job_duration_seconds',
      'iris_queue_length',
      'iris_queue_wait_seconds',
      'iris_model_first_token_seconds',
      'iris_model_duration_seconds',
      'iris_model_tokens_total',
      'iris_model_waits_total',
      'iris_platform_api_errors_total',
      'iris_platform_rate_limited_total',
      'iris_rate_limit_refusals_total',
      'iris_process_cpu_seconds_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    const job = { command: 'describe', outcome: 'done', platform: 'discord', shard: '0' };
    expect(sample(text, 'iris_jobs_total', job)).toBe(1);
    expect(sample(text, 'iris_job_duration_seconds_sum', job)).toBe(1.5);
    expect(sample(text, 'iris_queue_length', { backend: 'ollama', shard: '0' })).toBe(3);
    expect(sample(text, 'iris_queue_wait_seconds_count', { backend: 'ollama', command: 'describe' })).toBe(1);
    expect(
      sample(text, 'iris_platform_api_errors_total', { platform: 'slack', code: 'not_in_channel' }),
    ).toBe(1);
    expect(
      sample(text, 'iris_platform_rate_limited_total', {
        platform: 'discord',
        route: '/channels/:id/messages',
      }),
    ).toBe(1);
    expect(
      sample(text, 'iris_rate_limit_refusals_total', {
        command: 'imagine',
        limit: 'guild-budget',
        platform: 'discord',
        shard: '0',
      }),
    ).toBe(1);
  });

  it('labels platform series with the shard id', async () => {
    const metrics = new PrometheusMetrics({ shard: 3 });
    metrics.jobFinished({ platform: 'discord', command: 'imagine', outcome: 'failed', durationMs: 10 });
    const server = await serve(new ReadinessChecks(), metrics);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(sample(text, 'iris_jobs_total', { command: 'imagine', shard: '3' })).toBe(1);
  });

  it('counts latency and tokens of a describe against Ollama', async () => {
    const ollama = await startOllamaServer({ scenario: { tokens: ['A ', 'calm ', 'lake.'] } });
    cleanups.push(() => ollama.close());
    const metrics = new PrometheusMetrics();
    const vision = new OllamaVision({
      host: ollama.url,
      model: 'llava',
      timeoutMs: 10_000,
      stallMs: 5_000,
      metrics,
    });
    const server = await serve(new ReadinessChecks(), metrics);
    const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
    const model = { backend: 'ollama', model: 'llava' };

    const before = await scrape();
    expect(sample(before, 'iris_model_tokens_total', { ...model, kind: 'output' })).toBe(0);

    for (let run = 1; run <= 2; run++) {
      const events = [];
      for await (const event of vision.stream([{ role: 'user', content: 'Describe this.' }]))
        events.push(event);
      expect(events.at(-1)).toMatchObject({ type: 'end', stop: 'done', tokens: 3 });

      const after = await scrape();
      expect(sample(after, 'iris_model_tokens_total', { ...model, kind: 'output' })).toBe(3 * run);
      expect(sample(after, 'iris_model_first_token_seconds_count', model)).toBe(run);
      expect(sample(after, 'iris_model_duration_seconds_count', { ...model, outcome: 'done' })).toBe(run);
      expect(sample(after, 'iris_model_duration_seconds_sum', { ...model, outcome: 'done' })).toBeGreaterThan(
        0,
      );
    }
  });

  it('counts a describe that fails before any token', async () => {
    const ollama = await startOllamaServer({ scenario: { status: 500, errorMessage: 'runner crashed' } });
    cleanups.push(() => ollama.close());
    const metrics = new PrometheusMetrics();
    const vision = new OllamaVision({
      host: ollama.url,
      model: 'llava',
      timeoutMs: 10_000,
      stallMs: 5_000,
      metrics,
    });

    const consume = async () => {
      for await (const _event of vision.stream([{ role: 'user', content: 'Describe this.' }])) {
        // Nothing arrives before the error.
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: expect.stringMatching(/^VISION_/) });

    const text = await metrics.registry.metrics();
    const model = { backend: 'ollama', model: 'llava' };
    expect(sample(text, 'iris_model_duration_seconds_count', { ...model, outcome: 'failed' })).toBe(1);
    expect(sample(text, 'iris_model_first_token_seconds_count', model)).toBe(0);
  });

  it('counts outcomes and waits of an imagine against Hugging Face', async () => {
    const huggingFace = await startHuggingFaceServer();
    cleanups.push(() => huggingFace.close());
    const metrics = new PrometheusMetrics();
    const images = new HuggingFaceImages({
      token: huggingFace.token,
      model: 'prompthero/openjourney',
      provider: 'hf-inference',
      endpointUrl: huggingFace.endpointUrl,
      hubUrl: huggingFace.url,
      timeoutMs: 10_000,
      maxWaitMs: 10_000,
      metrics,
    });
    const request = { prompt: 'a lighthouse', width: 256, height: 256, steps: 10, guidance: 7, seed: 1 };
    const model = { backend: 'huggingface', model: 'prompthero/openjourney' };

    huggingFace.queue.push({ kind: 'loading', estimatedTime: 0.001 }, { kind: 'image' });
    await images.generate(request);
    huggingFace.queue.push({ kind: 'black' });
    await expect(images.generate(request)).rejects.toMatchObject({ code: 'IMAGINE_FILTERED' });

    const text = await metrics.registry.metrics();
    expect(sample(text, 'iris_model_duration_seconds_count', { ...model, outcome: 'done' })).toBe(1);
    expect(sample(text, 'iris_model_duration_seconds_count', { ...model, outcome: 'filtered' })).toBe(1);
    expect(sample(text, 'iris_model_waits_total', { ...model, reason: 'loading' })).toBe(1);
  });
});
