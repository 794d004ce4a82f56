import { InferenceClient, InferenceClientProviderApiError } from '@huggingface/inference';
import sharp from 'sharp';
import { IrisError } from '../../errors/IrisError.js';
import type { ModelMetrics } from '../../metrics/IrisMetrics.js';
import { sleep } from '../../util/sleep.js';
import * as errors from './imageErrors.js';
import { isBlankImage } from './isBlankImage.js';

export interface HuggingFaceImagesOptions {
  token: string | undefined;
  model: string;
  provider: string;
  /** When set, requests go to this URL instead of the provider. */
  endpointUrl: string | undefined;
  /** Hub API root, used by `check()` to look up which providers serve the model. */
  hubUrl: string;
  /** Limit for one HTTP attempt, in milliseconds. */
  timeoutMs: number;
  /** Longest total wait for a loading model or a rate limit, in milliseconds. */
  maxWaitMs: number;
  /** Receives each request's latency and outcome and each wait; nothing is recorded without it. */
  metrics?: ModelMetrics;
}

export interface TextToImageRequest {
  prompt: string;
  negativePrompt?: string;
  width: number;
  height: number;
  steps: number;
  guidance: number;
  seed: number;
}

export interface WaitNotice {
  reason: 'loading' | 'rate-limited';
  /** How long Iris waits before trying again, in milliseconds. */
  waitMs: number;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  /** Called before each wait, so the user can be told the model is warming up. */
  onWait?: (notice: WaitNotice) => void;
}

export interface ImageCheck {
  ok: boolean;
  error?: IrisError;
  detail?: string;
}

// Retries of a 429 before giving up, whatever the time budget says.
const MAX_RATE_LIMIT_RETRIES = 3;
// Wait used when a 503 carries no estimated_time, in milliseconds.
const DEFAULT_LOADING_WAIT_MS = 10_000;

/** A short metric label for how a request failed: `rate_limited`, `timeout`, `filtered`, `cancelled`, … */
function outcomeOf(error: IrisError): string {
  return error.code.replace(/^IMAGINE_/, '').toLowerCase();
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Generates images with a text-to-image model through the official Hugging Face client, from a hosted
 * provider or a dedicated endpoint. Loading (503) and rate limits (429) are waited out within a bounded
 * budget; the client's own unbounded 503 retry is turned off for that reason.
 */
export class HuggingFaceImages {
  readonly context: errors.ImageErrorContext;

  constructor(readonly options: HuggingFaceImagesOptions) {
    this.context = { model: options.model, target: options.endpointUrl ? 'endpoint' : options.provider };
  }

  get configured(): boolean {
    return this.options.token !== undefined || this.options.endpointUrl !== undefined;
  }

  /** Generates one PNG image. Throws an IrisError, with IMAGINE_FILTERED for a blacked-out result. */
  async generate(request: TextToImageRequest, options: GenerateOptions = {}): Promise<Buffer> {
    if (!this.configured) {
      throw new IrisError('IMAGINE_NOT_CONFIGURED', 'Neither HF_TOKEN nor HF_ENDPOINT_URL is set.', {
        userMessage: 'Image generation is not set up on this bot. An admin has been told how to enable it.',
        adminHint:
          'Set HF_TOKEN (hosted provider) or HF_ENDPOINT_URL (your own endpoint) to enable /imagine.',
      });
    }

    const started = Date.now();
    const timer = performance.now();
    let outcome = 'failed';
    let rateLimitRetries = 0;
    try {
      for (;;) {
        try {
          const image = await this.attempt(request, options.signal);
          if (await isBlankImage(image)) throw errors.filtered();
          outcome = 'done';
          return image;
        } catch (error) {
          const retry = this.classify(error, started, rateLimitRetries);
          if (retry.error) {
            outcome = outcomeOf(retry.error);
            throw retry.error;
          }
          if (retry.reason === 'rate-limited') rateLimitRetries++;
          this.options.metrics?.modelWait({
            backend: 'huggingface',
            model: this.options.model,
            reason: retry.reason,
          });
          options.onWait?.({ reason: retry.reason, waitMs: retry.waitMs });
          await sleep(retry.waitMs, options.signal);
        }
      }
    } catch (error) {
      // A sleep cut short by the caller's signal lands here without passing classify().
      if (outcome === 'failed' && options.signal?.aborted) outcome = 'cancelled';
      throw error;
    } finally {
      this.options.metrics?.modelRequest({
        backend: 'huggingface',
        model: this.options.model,
        outcome,
        totalMs: performance.now() - timer,
      });
    }
  }

  private async attempt(request: TextToImageRequest, signal?: AbortSignal): Promise<Buffer> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const attemptSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const client = new InferenceClient(this.options.token);

    let retryAfter: string | null = null;
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      // The client's errors carry status and body but not headers; Retry-After is read here.
      retryAfter = response.headers.get('retry-after');
      return response;
    };

    let blob: Blob;
    try {
      blob = await client.textToImage(
        {
          model: this.options.model,
          ...(this.options.endpointUrl
            ? { endpointUrl: this.options.endpointUrl }
            : { provider: this.options.provider as 'hf-inference' }),
          inputs: request.prompt,
          parameters: {
            negative_prompt: request.negativePrompt,
            width: request.width,
            height: request.height,
            num_inference_steps: request.steps,
            guidance_scale: request.guidance,
            seed: request.seed,
          },
        },
        { signal: attemptSignal, retry_on_error: false, fetch: recordingFetch, outputType: 'blob' },
      );
    } catch (error) {
      if (timeout.aborted && !signal?.aborted) throw errors.timedOut(this.options.timeoutMs, error);
      if (error instanceof InferenceClientProviderApiError) {
        Object.assign(error, { retryAfterMs: parseRetryAfter(retryAfter) });
      }
      throw error;
    }

    const bytes = Buffer.from(await blob.arrayBuffer());
    try {
      const format = (await sharp(bytes).metadata()).format;
      return format === 'png' ? bytes : await sharp(bytes).png().toBuffer();
    } catch (error) {
      throw errors.failed(this.context, undefined, 'the response was not an image', error);
    }
  }

  private classify(
    error: unknown,
    started: number,
    rateLimitRetries: number,
  ):
    | { error: IrisError; reason?: never; waitMs?: never }
    | { error?: never; reason: WaitNotice['reason']; waitMs: number } {
    if (error instanceof IrisError) return { error };
    if ((error as Error).name === 'AbortError') {
      return {
        error: new IrisError('CANCELLED', 'The request was cancelled.', {
          userMessage: 'The request was cancelled.',
          cause: error,
        }),
      };
    }

    const elapsed = Date.now() - started;
    const remaining = this.options.maxWaitMs - elapsed;

    if (error instanceof InferenceClientProviderApiError) {
      const status = error.httpResponse.status;
      const body = error.httpResponse.body as { estimated_time?: number } | string | undefined;
      if (status === 401 || status === 403)
        return { error: errors.unauthorized(this.context, status, error) };
      if (status === 404 || status === 410)
        return { error: errors.modelNotServed(this.context, status, error) };
      if (status === 503) {
        const estimated =
          typeof body === 'object' && typeof body?.estimated_time === 'number'
            ? body.estimated_time * 1000
            : DEFAULT_LOADING_WAIT_MS;
        const waitMs = Math.ceil(Math.min(Math.max(estimated, 1000), Math.max(remaining, 0)));
        if (remaining <= 0) return { error: errors.modelLoading(this.context, elapsed, error) };
        return { reason: 'loading', waitMs };
      }
      if (status === 429) {
        const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs;
        const waitMs = retryAfterMs ?? 5_000;
        if (rateLimitRetries >= MAX_RATE_LIMIT_RETRIES || waitMs > remaining) {
          return { error: errors.rateLimited(this.context, retryAfterMs, error) };
        }
        return { reason: 'rate-limited', waitMs };
      }
      return { error: errors.failed(this.context, status, error.message, error) };
    }

    if (
      error instanceof TypeError ||
      /fetch failed|ECONNREFUSED|ENOTFOUND/i.test(String((error as Error).message))
    ) {
      return { error: errors.unreachable(this.context, error) };
    }
    return {
      error: errors.failed(this.context, undefined, (error as Error).message ?? String(error), error),
    };
  }

  /** Checks the token and that the model is served, without generating an image. */
  async check(signal: AbortSignal = AbortSignal.timeout(10_000)): Promise<ImageCheck> {
    const headers: Record<string, string> = this.options.token
      ? { Authorization: `Bearer ${this.options.token}` }
      : {};
    try {
      if (this.options.endpointUrl) {
        const response = await fetch(this.options.endpointUrl, { headers, signal });
        if (response.status === 401 || response.status === 403)
          return { ok: false, error: errors.unauthorized(this.context, response.status) };
        if (response.status === 404 || response.status === 410)
          return { ok: false, error: errors.modelNotServed(this.context, response.status) };
        return { ok: true, detail: `endpoint answered HTTP ${response.status}` };
      }
      if (!this.options.token) {
        return {
          ok: false,
          error: new IrisError('IMAGINE_NOT_CONFIGURED', 'HF_TOKEN is not set.', {
            userMessage: 'Image generation is not set up on this bot.',
            adminHint:
              'Set HF_TOKEN (hosted provider) or HF_ENDPOINT_URL (your own endpoint) to enable /imagine.',
          }),
        };
      }
      const hub = this.options.hubUrl.replace(/\/+$/, '');
      const whoami = await fetch(`${hub}/api/whoami-v2`, { headers, signal });
      if (!whoami.ok) return { ok: false, error: errors.unauthorized(this.context, whoami.status) };

      const info = await fetch(`${hub}/api/models/${this.options.model}?expand[]=inferenceProviderMapping`, {
        headers,
        signal,
      });
      if (!info.ok) return { ok: false, error: errors.modelNotServed(this.context, info.status) };
      const body = (await info.json()) as {
        inferenceProviderMapping?: Record<string, unknown> | Array<{ provider: string }>;
      };
      const mapping = body.inferenceProviderMapping;
      const providers = Array.isArray(mapping)
        ? mapping.map((entry) => entry.provider)
        : Object.keys(mapping ?? {});
      if (this.options.provider !== 'auto' && !providers.includes(this.options.provider)) {
        return {
          ok: false,
          error: errors.modelNotServed(this.context, 404),
          detail: `served by: ${providers.join(', ') || 'no provider'}`,
        };
      }
      return { ok: true, detail: `served by ${this.options.provider}` };
    } catch (error) {
      return { ok: false, error: errors.unreachable(this.context, error) };
    }
  }
}
