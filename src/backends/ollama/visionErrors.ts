import { IrisError } from '../../errors/IrisError.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code !== undefined && NETWORK_CODES.has(code)) return code;
    current = current.cause;
  }
  return undefined;
}

export interface VisionErrorContext {
  host: string;
  model: string;
}

export function visionUnreachable(context: VisionErrorContext, cause?: unknown, code?: string): IrisError {
  return new IrisError(
    'VISION_UNREACHABLE',
    `Ollama at ${context.host} is unreachable${code ? ` (${code})` : ''}.`,
    {
      userMessage: 'The vision model is unreachable right now. Please try again in a few minutes.',
      adminHint: `Start Ollama (\`ollama serve\`) or set OLLAMA_HOST to where it runs; tried ${context.host}.`,
      retryable: true,
      details: { host: context.host, networkCode: code },
      cause,
    },
  );
}

export function modelNotPulled(context: VisionErrorContext, cause?: unknown): IrisError {
  return new IrisError(
    'VISION_MODEL_NOT_PULLED',
    `Model ${context.model} is not pulled on ${context.host}.`,
    {
      userMessage:
        'The bot is misconfigured: its vision model is not installed. An admin has been told how to fix it.',
      adminHint: `Run \`ollama pull ${context.model}\` on the Ollama host, or set VISION_MODEL to a pulled vision model.`,
      details: { host: context.host, model: context.model },
      cause,
    },
  );
}

export function modelWithoutVision(context: VisionErrorContext, cause?: unknown): IrisError {
  return new IrisError('VISION_MODEL_NO_VISION', `Model ${context.model} cannot take images.`, {
    userMessage:
      'The bot is misconfigured: its model cannot look at images. An admin has been told how to fix it.',
    adminHint: `Set VISION_MODEL to a vision model such as llava (7B), llava:13b or llava:34b; ${context.model} takes text only.`,
    details: { model: context.model },
    cause,
  });
}

/** Maps anything the ollama client throws onto a typed error. */
export function mapOllamaError(error: unknown, context: VisionErrorContext): IrisError {
  if (error instanceof IrisError) return error;

  const status = (error as { status_code?: number }).status_code;
  const message = error instanceof Error ? error.message : String(error);

  if (status === 404 || /model .* not found|try pulling it/i.test(message))
    return modelNotPulled(context, error);
  if (/does not support (images|vision)|image input/i.test(message))
    return modelWithoutVision(context, error);

  const code = networkCode(error);
  if (code !== undefined || (error instanceof TypeError && /fetch failed/i.test(message))) {
    return visionUnreachable(context, error, code);
  }
  if (/did not receive done/i.test(message)) {
    return new IrisError('VISION_STREAM_INCOMPLETE', 'The Ollama stream ended before the model finished.', {
      userMessage: 'The vision model stopped before finishing its answer.',
      adminHint:
        'Ollama closed the stream without a final message; check the Ollama server log for a crash or restart.',
      retryable: true,
      cause: error,
    });
  }
  return new IrisError('VISION_FAILED', `Ollama failed: ${message}`, {
    userMessage: 'The vision model reported an error while answering.',
    adminHint: 'See the error in this log line and the Ollama server log.',
    retryable: true,
    details: { status },
    cause: error,
  });
}
