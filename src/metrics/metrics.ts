import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type {
  IrisMetrics,
  JobSample,
  ModelBackend,
  ModelRequestSample,
  ModelStreamSample,
  ModelWaitSample,
  PlatformApiErrorSample,
  PlatformRateLimitSample,
  QueueWaitSample,
  RateLimitRefusalSample,
} from './IrisMetrics.js';

export interface PrometheusMetricsOptions {
  /** The registry for the series: a new one by default, never prom-client's global registry. */
  registry?: Registry;
  /** Discord shard id of this process, as the `shard` label; `0` when the bot is not sharded. */
  shard?: number;
  /** Also export Node.js process metrics (CPU, memory, event loop lag) with the `iris_` prefix. */
  processMetrics?: boolean;
}

// Bucket bounds in seconds. Vision answers on a CPU take minutes, so the upper bounds reach 5 minutes.
const FIRST_TOKEN_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];
const DURATION_BUCKETS = [0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 180, 300];
const QUEUE_WAIT_BUCKETS = [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600];

const seconds = (milliseconds: number) => milliseconds / 1000;

/**
 * The Prometheus series Iris exports, all defined here, and an {@link IrisMetrics} that records into them.
 *
 * Series (counters end in `_total`, durations are histograms in seconds):
 * - `iris_jobs_total`, `iris_job_duration_seconds` {command, outcome, platform, shard}
 * - `iris_queue_length` {backend, shard}, `iris_queue_wait_seconds` {backend, command, shard}
 * - `iris_model_first_token_seconds` {backend, model}, `iris_model_duration_seconds` {backend, model, outcome},
 *   `iris_model_tokens_total` {backend, model, kind}, `iris_model_waits_total` {backend, model, reason}
 * - `iris_platform_api_errors_total` {platform, code, shard}, `iris_platform_rate_limited_total` {platform, route, shard}
 * - `iris_rate_limit_refusals_total` {command, limit, platform, shard}
 * - `iris_shard_info` {shard}: always 1; names the Discord shard of this process even before any job
 */
export class PrometheusMetrics implements IrisMetrics {
  readonly registry: Registry;
  private readonly shard: string;

  private readonly jobs: Counter<'command' | 'outcome' | 'platform' | 'shard'>;
  private readonly jobDuration: Histogram<'command' | 'outcome' | 'platform' | 'shard'>;
  private readonly queueSize: Gauge<'backend' | 'shard'>;
  private readonly queueWaitTime: Histogram<'backend' | 'command' | 'shard'>;
  private readonly firstToken: Histogram<'backend' | 'model'>;
  private readonly modelDuration: Histogram<'backend' | 'model' | 'outcome'>;
  private readonly tokens: Counter<'backend' | 'model' | 'kind'>;
  private readonly waits: Counter<'backend' | 'model' | 'reason'>;
  private readonly apiErrors: Counter<'platform' | 'code' | 'shard'>;
  private readonly rateLimited: Counter<'platform' | 'route' | 'shard'>;
  private readonly refusals: Counter<'command' | 'limit' | 'platform' | 'shard'>;

  constructor(options: PrometheusMetricsOptions = {}) {
    const registry = options.registry ?? new Registry();
    this.registry = registry;
    this.shard = String(options.shard ?? 0);
    const registers = [registry];

    this.jobs = new Counter({
      name: 'iris_jobs_total',
      help: 'Jobs that ended, by command, outcome and platform.',
      labelNames: ['command', 'outcome', 'platform', 'shard'],
      registers,
    });
    this.jobDuration = new Histogram({
      name: 'iris_job_duration_seconds',
      help: 'Time from the request to the end of a job, queue wait included, in seconds.',
      labelNames: ['command', 'outcome', 'platform', 'shard'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.queueSize = new Gauge({
      name: 'iris_queue_length',
      help: 'Jobs waiting for a model backend.',
      labelNames: ['backend', 'shard'],
      registers,
    });
    this.queueWaitTime = new Histogram({
      name: 'iris_queue_wait_seconds',
      help: 'Time a job spent queued before it started, in seconds.',
      labelNames: ['backend', 'command', 'shard'],
      buckets: QUEUE_WAIT_BUCKETS,
      registers,
    });
    this.firstToken = new Histogram({
      name: 'iris_model_first_token_seconds',
      help: 'Time from a streamed model request to its first token, in seconds.',
      labelNames: ['backend', 'model'],
      buckets: FIRST_TOKEN_BUCKETS,
      registers,
    });
    this.modelDuration = new Histogram({
      name: 'iris_model_duration_seconds',
      help: 'Time from a model request to its last token or result, in seconds, by outcome.',
      labelNames: ['backend', 'model', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.tokens = new Counter({
      name: 'iris_model_tokens_total',
      help: 'Tokens processed by a model, as the backend counts them; kind is prompt or output.',
      labelNames: ['backend', 'model', 'kind'],
      registers,
    });
    this.waits = new Counter({
      name: 'iris_model_waits_total',
      help: 'Waits before a retry because the model was loading or the backend returned 429.',
      labelNames: ['backend', 'model', 'reason'],
      registers,
    });
    this.apiErrors = new Counter({
      name: 'iris_platform_api_errors_total',
      help: 'Errors returned by a platform API (Discord REST, Slack Web API), by error code.',
      labelNames: ['platform', 'code', 'shard'],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'iris_platform_rate_limited_total',
      help: 'HTTP 429 responses from a platform API, by route.',
      labelNames: ['platform', 'route', 'shard'],
      registers,
    });
    this.refusals = new Counter({
      name: 'iris_rate_limit_refusals_total',
      help: 'Requests refused because a per-guild, per-workspace or per-user limit was reached.',
      labelNames: ['command', 'limit', 'platform', 'shard'],
      registers,
    });

    // An info series (value 1), so each shard process's /metrics names its shard from the start.
    new Gauge({
      name: 'iris_shard_info',
      help: 'The Discord shard this process runs (0 when not sharded); always 1.',
      labelNames: ['shard'],
      registers,
    }).set({ shard: this.shard }, 1);

    if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'iris_' });
  }

  jobFinished(sample: JobSample): void {
    const labels = {
      command: sample.command,
      outcome: sample.outcome,
      platform: sample.platform,
      shard: this.shard,
    };
    this.jobs.inc(labels);
    this.jobDuration.observe(labels, seconds(sample.durationMs));
  }

  queueLength(backend: ModelBackend, length: number): void {
    this.queueSize.set({ backend, shard: this.shard }, length);
  }

  queueWait(sample: QueueWaitSample): void {
    this.queueWaitTime.observe(
      { backend: sample.backend, command: sample.command, shard: this.shard },
      seconds(sample.waitMs),
    );
  }

  modelStream(sample: ModelStreamSample): void {
    const model = { backend: sample.backend, model: sample.model };
    if (sample.firstTokenMs !== undefined) this.firstToken.observe(model, seconds(sample.firstTokenMs));
    this.modelDuration.observe({ ...model, outcome: sample.outcome }, seconds(sample.totalMs));
    if (sample.outputTokens !== undefined) this.tokens.inc({ ...model, kind: 'output' }, sample.outputTokens);
    if (sample.promptTokens !== undefined) this.tokens.inc({ ...model, kind: 'prompt' }, sample.promptTokens);
  }

  modelRequest(sample: ModelRequestSample): void {
    this.modelDuration.observe(
      { backend: sample.backend, model: sample.model, outcome: sample.outcome },
      seconds(sample.totalMs),
    );
  }

  modelWait(sample: ModelWaitSample): void {
    this.waits.inc({ backend: sample.backend, model: sample.model, reason: sample.reason });
  }

  platformApiError(sample: PlatformApiErrorSample): void {
    this.apiErrors.inc({ platform: sample.platform, code: sample.code, shard: this.shard });
  }

  platformRateLimited(sample: PlatformRateLimitSample): void {
    this.rateLimited.inc({ platform: sample.platform, route: sample.route, shard: this.shard });
  }

  rateLimitRefusal(sample: RateLimitRefusalSample): void {
    this.refusals.inc({
      command: sample.command,
      limit: sample.limit,
      platform: sample.platform,
      shard: this.shard,
    });
  }
}
