import { HuggingFaceImages } from '../backends/huggingface/HuggingFaceImages.js';
import { OllamaVision } from '../backends/ollama/OllamaVision.js';
import { secretValues } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { ReadinessChecks } from '../health/ReadinessChecks.js';
import type { ImageLimits } from '../image/normalizeImage.js';
import { JobTracker } from '../lifecycle/JobTracker.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { type IrisMetrics, noopMetrics } from '../metrics/IrisMetrics.js';

/** What every front end shares: settings, the root logger and both model backends. */
export interface IrisCore {
  config: Config;
  logger: Logger;
  vision: OllamaVision;
  images: HuggingFaceImages;
  imageLimits: ImageLimits;
  /** Where jobs, queues and platform calls are counted; records nothing unless a service passes one in. */
  metrics: IrisMetrics;
  /** Checks behind `/readyz`: adapters register theirs (gateway connected) when they start. */
  readiness: ReadinessChecks;
  /** Running jobs, which shutdown waits for; adapters run each job through it. */
  jobs: JobTracker;
}

/** Parts a long-running service supplies; the CLI and tests leave them to the defaults. */
export interface CoreServices {
  metrics?: IrisMetrics;
  readiness?: ReadinessChecks;
  jobs?: JobTracker;
}

export function createCore(config: Config, logger?: Logger, services: CoreServices = {}): IrisCore {
  const metrics = services.metrics ?? noopMetrics;
  return {
    config,
    logger: logger ?? createLogger({ level: config.LOG_LEVEL, secrets: secretValues(config) }),
    vision: new OllamaVision({
      host: config.OLLAMA_HOST,
      model: config.VISION_MODEL,
      timeoutMs: config.DESCRIBE_TIMEOUT_MS,
      stallMs: config.DESCRIBE_STALL_MS,
      metrics,
    }),
    images: new HuggingFaceImages({
      token: config.HF_TOKEN,
      model: config.IMAGE_MODEL,
      provider: config.HF_PROVIDER,
      endpointUrl: config.HF_ENDPOINT_URL,
      hubUrl: config.HF_HUB_URL,
      timeoutMs: config.IMAGINE_TIMEOUT_MS,
      maxWaitMs: config.IMAGINE_MAX_WAIT_MS,
      metrics,
    }),
    imageLimits: {
      maxBytes: config.MAX_IMAGE_BYTES,
      maxPixels: config.MAX_IMAGE_PIXELS,
      maxSide: config.MAX_IMAGE_SIDE,
    },
    metrics,
    readiness: services.readiness ?? new ReadinessChecks(),
    jobs: services.jobs ?? new JobTracker(),
  };
}
