import { IrisError } from '../../errors/IrisError.js';

export interface ImageErrorContext {
  model: string;
  /** `endpoint` when HF_ENDPOINT_URL is set, else the provider name. */
  target: string;
}

export function unauthorized(context: ImageErrorContext, status: number, cause?: unknown): IrisError {
  return new IrisError('IMAGINE_UNAUTHORIZED', `Hugging Face rejected the token (HTTP ${status}).`, {
    userMessage:
      'The bot is misconfigured: the image service rejected its credentials. An admin has been told how to fix it.',
    adminHint:
      status === 403
        ? 'HF_TOKEN lacks permission: create a fine-grained token with "Make calls to Inference Providers" (or access to your endpoint).'
        : 'HF_TOKEN is missing, invalid or revoked: create one at huggingface.co/settings/tokens and set HF_TOKEN.',
    details: { status, target: context.target },
    cause,
  });
}

export function modelNotServed(context: ImageErrorContext, status: number, cause?: unknown): IrisError {
  return new IrisError(
    'IMAGINE_MODEL_NOT_SERVED',
    `${context.model} is not served by ${context.target} (HTTP ${status}).`,
    {
      userMessage:
        'The bot is misconfigured: the image model is not available from its image service. An admin has been told how to fix it.',
      adminHint:
        context.target === 'endpoint'
          ? 'HF_ENDPOINT_URL does not serve a text-to-image model: check the URL and that the endpoint is running.'
          : `Provider "${context.target}" does not serve ${context.model}. Deploy it on a dedicated Inference Endpoint (or any server speaking the same text-to-image protocol) and set HF_ENDPOINT_URL, or pick a provider that serves it with HF_PROVIDER.`,
      details: { status, target: context.target, model: context.model },
      cause,
    },
  );
}

export function modelLoading(context: ImageErrorContext, waitedMs: number, cause?: unknown): IrisError {
  return new IrisError('IMAGINE_MODEL_LOADING', `${context.model} was still loading after ${waitedMs} ms.`, {
    userMessage: 'The image model is still warming up. Please try again in a minute or two.',
    adminHint: 'The provider kept answering 503 (loading) past IMAGINE_MAX_WAIT_MS.',
    retryable: true,
    details: { waitedMs },
    cause,
  });
}

export function rateLimited(
  context: ImageErrorContext,
  retryAfterMs: number | undefined,
  cause?: unknown,
): IrisError {
  const seconds = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000);
  return new IrisError(
    'IMAGINE_RATE_LIMITED',
    `Hugging Face rate limit hit (retry after ${seconds ?? '?'} s).`,
    {
      userMessage: `The image service is busy right now. Please try again${seconds ? ` in about ${seconds} s` : ' in a minute'}.`,
      adminHint:
        'The provider answered 429; a dedicated endpoint (HF_ENDPOINT_URL) or a paid plan raises the limit.',
      retryable: true,
      retryAfterMs,
      details: { target: context.target },
      cause,
    },
  );
}

export function timedOut(timeoutMs: number, cause?: unknown): IrisError {
  return new IrisError('IMAGINE_TIMEOUT', `Image generation did not finish within ${timeoutMs} ms.`, {
    userMessage: 'The image service took too long to answer. Please try again.',
    adminHint: `IMAGINE_TIMEOUT_MS (${timeoutMs} ms) was reached.`,
    retryable: true,
    details: { timeoutMs },
    cause,
  });
}

export function unreachable(context: ImageErrorContext, cause?: unknown): IrisError {
  return new IrisError('IMAGINE_UNREACHABLE', `The image service (${context.target}) is unreachable.`, {
    userMessage: 'The image service is unreachable right now. Please try again in a few minutes.',
    adminHint:
      context.target === 'endpoint'
        ? 'Check that HF_ENDPOINT_URL is right and the endpoint is running.'
        : 'Check this host’s network access to Hugging Face.',
    retryable: true,
    cause,
  });
}

export function failed(
  context: ImageErrorContext,
  status: number | undefined,
  detail: string,
  cause?: unknown,
): IrisError {
  return new IrisError(
    'IMAGINE_FAILED',
    `Image generation failed${status ? ` (HTTP ${status})` : ''}: ${detail}`,
    {
      userMessage: 'The image service reported an error. Please try again.',
      retryable: true,
      details: { status, target: context.target },
      cause,
    },
  );
}

export function filtered(): IrisError {
  return new IrisError('IMAGINE_FILTERED', 'The generated image was blacked out by the safety checker.', {
    userMessage:
      'The image was blocked by the model’s safety filter, so nothing was posted. Try rewording the prompt.',
  });
}
