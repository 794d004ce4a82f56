import { IrisError } from '../errors/IrisError.js';

/**
 * Wraps a failed store operation. The user reads that the bot is having trouble; the log gets the
 * operation and the cause, so an admin can tell a stopped Redis from a locked SQLite file.
 */
export function storeUnavailable(operation: string, cause: unknown): IrisError {
  return new IrisError('STORE_UNAVAILABLE', `The store failed during ${operation}.`, {
    userMessage:
      'The bot is having trouble reaching its storage right now, so this request was not accepted. Please try again in a few minutes.',
    adminHint:
      'Check that the server in STORE_URL is running and reachable, then look at the error in this log line.',
    retryable: true,
    details: { operation },
    cause,
  });
}
