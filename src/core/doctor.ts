import type { IrisError } from '../errors/IrisError.js';
import type { IrisCore } from './createCore.js';

export interface DoctorResult {
  name: string;
  ok: boolean;
  /** What was found, for the log and the terminal. */
  detail: string;
  /** What to change, when not ok. */
  fix?: string;
  /** The error behind a failed check, so callers can tell a misconfiguration from a backend that is down. */
  error?: IrisError;
}

/** Checks both backends; every check runs even when an earlier one fails. */
export async function runDoctor(core: IrisCore): Promise<DoctorResult[]> {
  const results: DoctorResult[] = [];
  const { config } = core;

  const vision = await core.vision.check();
  results.push(
    vision.ok
      ? {
          name: 'vision model',
          ok: true,
          detail: `${config.VISION_MODEL} on ${config.OLLAMA_HOST} is pulled and accepts images`,
        }
      : {
          name: 'vision model',
          ok: false,
          detail: vision.error?.message ?? 'check failed',
          fix: vision.error?.adminHint,
          error: vision.error,
        },
  );

  const images = await core.images.check();
  const target = config.HF_ENDPOINT_URL
    ? 'the endpoint in HF_ENDPOINT_URL'
    : `provider ${config.HF_PROVIDER}`;
  results.push(
    images.ok
      ? {
          name: 'image model',
          ok: true,
          detail: `${config.IMAGE_MODEL} via ${target}: ${images.detail ?? 'ok'}`,
        }
      : {
          name: 'image model',
          ok: false,
          detail: `${images.error?.message ?? 'check failed'}${images.detail ? ` (${images.detail})` : ''}`,
          fix: images.error?.adminHint,
          error: images.error,
        },
  );
  return results;
}
