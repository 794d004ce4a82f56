import type { IrisErrorCode } from './codes.js';

export interface IrisErrorOptions {
  /** What the chat user reads: short, polite, and says what to do. */
  userMessage: string;
  /** What the admin reads in the log: the fix on the bot's side, if any. */
  adminHint?: string;
  /** Whether trying the same request again later can succeed. */
  retryable?: boolean;
  /** How long to wait before a retry can succeed, in milliseconds. */
  retryAfterMs?: number;
  /** Extra fields for the log line; never secrets. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * An error with a stable code, a message for the chat user and a message for the log.
 * Everything the core throws on purpose is an IrisError; anything else is wrapped once at the boundary.
 */
export class IrisError extends Error {
  readonly code: IrisErrorCode;
  readonly userMessage: string;
  readonly adminHint: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: IrisErrorCode, message: string, options: IrisErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = `IrisError[${code}]`;
    this.code = code;
    this.userMessage = options.userMessage;
    this.adminHint = options.adminHint;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details ?? {};
  }
}

export function isIrisError(error: unknown): error is IrisError {
  return error instanceof IrisError;
}

/** Wraps an unexpected error once, so callers always get a code and a user message. */
export function toIrisError(error: unknown): IrisError {
  if (error instanceof IrisError) return error;
  if (error instanceof Error && error.name === 'AbortError') {
    return new IrisError('CANCELLED', 'The request was cancelled.', {
      userMessage: 'The request was cancelled.',
      cause: error,
    });
  }
  return new IrisError('INTERNAL', error instanceof Error ? error.message : String(error), {
    userMessage:
      'Something went wrong on the bot’s side. Please try again; if it keeps happening, tell an admin.',
    cause: error,
  });
}
