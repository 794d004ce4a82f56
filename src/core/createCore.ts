import { HuggingFaceImages } from '../backends/huggingface/HuggingFaceImages.js';
import { OllamaVision } from '../backends/ollama/OllamaVision.js';
import { secretValues } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { ImageLimits } from '../image/normalizeImage.js';
import { createLogger, type Logger } from '../logging/logger.js';

/** What every front end shares: settings, the root logger and both model backends. */
export interface IrisCore {
  config: Config;
  logger: Logger;
  vision: OllamaVision;
  images: HuggingFaceImages;
  imageLimits: ImageLimits;
}

export function createCore(config: Config, logger?: Logger): IrisCore {
  return {
    config,
    logger: logger ?? createLogger({ level: config.LOG_LEVEL, secrets: secretValues(config) }),
    vision: new OllamaVision({
      host: config.OLLAMA_HOST,
      model: config.VISION_MODEL,
      timeoutMs: config.DESCRIBE_TIMEOUT_MS,
      stallMs: config.DESCRIBE_STALL_MS,
    }),
    images: new HuggingFaceImages({
      token: config.HF_TOKEN,
      model: config.IMAGE_MODEL,
      provider: config.HF_PROVIDER,
      endpointUrl: config.HF_ENDPOINT_URL,
      hubUrl: config.HF_HUB_URL,
      timeoutMs: config.IMAGINE_TIMEOUT_MS,
      maxWaitMs: config.IMAGINE_MAX_WAIT_MS,
    }),
    imageLimits: {
      maxBytes: config.MAX_IMAGE_BYTES,
      maxPixels: config.MAX_IMAGE_PIXELS,
      maxSide: config.MAX_IMAGE_SIDE,
    },
  };
}
