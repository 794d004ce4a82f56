/** The chat platform of a job or API call. */
export type Platform = 'discord' | 'slack' | 'cli';

/** The model backend that served a request. */
export type ModelBackend = 'ollama' | 'huggingface';

/** A job that ended, with how it ended. */
export interface JobSample {
  platform: Platform;
  /** The command name as users type it: `describe`, `imagine`. */
  command: string;
  /** `done`, `partial`, `failed`, `cancelled`, `interrupted` (shutdown or restart), or another short word. */
  outcome: string;
  /** Time from the request to the end of the job, in milliseconds. */
  durationMs: number;
}

/** A queued job that left the queue and started. */
export interface QueueWaitSample {
  backend: ModelBackend;
  command: string;
  /** Time spent queued, in milliseconds. */
  waitMs: number;
}

/** One streamed answer from a model, however it ended. */
export interface ModelStreamSample {
  backend: ModelBackend;
  model: string;
  /** The stream's stop reason: `done`, `stalled`, `timeout`, `incomplete`, `failed`, `cancelled`. */
  outcome: string;
  /** Time from the request to the first token, in milliseconds; undefined when no token came. */
  firstTokenMs: number | undefined;
  /** Time from the request to the end of the stream, in milliseconds. */
  totalMs: number;
  /** Tokens generated, as the backend counts them; undefined when the stream was cut. */
  outputTokens: number | undefined;
  /** Prompt tokens evaluated (the image counts as tokens too); undefined when unknown. */
  promptTokens: number | undefined;
}

/** One non-streamed model request (text-to-image), however it ended. */
export interface ModelRequestSample {
  backend: ModelBackend;
  model: string;
  /** `done`, or a short error word such as `rate_limited`, `timeout`, `filtered`, `cancelled`. */
  outcome: string;
  /** Time from the request to the result or the final error, waits included, in milliseconds. */
  totalMs: number;
}

/** A wait before a retry: the model was loading or the backend returned 429. */
export interface ModelWaitSample {
  backend: ModelBackend;
  model: string;
  reason: 'loading' | 'rate-limited';
}

/** An error returned by a platform's API (Discord REST, Slack Web API). */
export interface PlatformApiErrorSample {
  platform: Platform;
  /** The platform's error code or HTTP status, as text: `50013`, `not_in_channel`, `500`. */
  code: string;
}

/** A 429 returned by a platform's API. */
export interface PlatformRateLimitSample {
  platform: Platform;
  /** A route template without ids (`/channels/:id/messages`, `chat.update`), so the label set stays small. */
  route: string;
}

/** A request that Iris itself refused because a limit was reached. */
export interface RateLimitRefusalSample {
  platform: Platform;
  command: string;
  /** The limit that was reached: `guild-budget`, `user-cooldown`, `user-queue`, `queue-full`, … */
  limit: string;
}

/** The part of {@link IrisMetrics} that model backends record into, so they depend on no more. */
export interface ModelMetrics {
  modelStream(sample: ModelStreamSample): void;
  modelRequest(sample: ModelRequestSample): void;
  modelWait(sample: ModelWaitSample): void;
}

/**
 * Every measurement Iris records. Code records through this interface and never touches prom-client,
 * so tests and the CLI run with {@link noopMetrics} and no global registry.
 */
export interface IrisMetrics extends ModelMetrics {
  jobFinished(sample: JobSample): void;
  /** Sets how many jobs wait for a backend right now. */
  queueLength(backend: ModelBackend, length: number): void;
  queueWait(sample: QueueWaitSample): void;
  platformApiError(sample: PlatformApiErrorSample): void;
  platformRateLimited(sample: PlatformRateLimitSample): void;
  rateLimitRefusal(sample: RateLimitRefusalSample): void;
}

/** Records nothing: the default when no metrics are wanted. */
export const noopMetrics: IrisMetrics = {
  jobFinished() {},
  queueLength() {},
  queueWait() {},
  modelStream() {},
  modelRequest() {},
  modelWait() {},
  platformApiError() {},
  platformRateLimited() {},
  rateLimitRefusal() {},
};
