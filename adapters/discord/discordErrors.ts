import { DiscordAPIError, HTTPError } from 'discord.js';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { Logger } from '../../src/logging/logger.js';
import type { IrisMetrics } from '../../src/metrics/IrisMetrics.js';

/** The Discord error code of a failed REST call, or undefined for any other error. */
export function discordErrorCode(error: unknown): number | undefined {
  return error instanceof DiscordAPIError && typeof error.code === 'number' ? error.code : undefined;
}

// Codes that mean the thread (or the channel behind it) cannot take the result, so it goes in place.
const THREAD_UNUSABLE = new Set<number>([
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.UnknownMessage,
  RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage,
  RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType,
  RESTJSONErrorCodes.InvalidActionOnArchivedThread,
  RESTJSONErrorCodes.ThreadLocked,
]);

/** Whether a failed call means the thread cannot be used and the result should be posted in place. */
export function isThreadUnusable(error: unknown): boolean {
  const code = discordErrorCode(error);
  return code !== undefined && THREAD_UNUSABLE.has(code);
}

/** What the chat user reads when a Discord call failed, by error code. */
export function explainDiscordError(error: unknown): string {
  switch (discordErrorCode(error)) {
    case RESTJSONErrorCodes.MissingPermissions:
      return 'The bot lacks a permission it needs in this channel (for example Send Messages, Attach Files or Create Public Threads). Ask an admin to grant it.';
    case RESTJSONErrorCodes.MissingAccess:
      return 'The bot cannot see this channel. Ask an admin to give it View Channel access.';
    case RESTJSONErrorCodes.UnknownChannel:
      return 'The channel or thread for this result no longer exists.';
    case RESTJSONErrorCodes.UnknownMessage:
      return 'A message this request needed was deleted.';
    case RESTJSONErrorCodes.UnknownInteraction:
      return 'Discord no longer accepts replies to this command. Please run it again.';
    case RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged:
      return 'This command was already answered.';
    case RESTJSONErrorCodes.InvalidFormBodyOrContentType:
      return 'Discord rejected the reply as invalid, so it could not be posted. Please tell an admin.';
    case RESTJSONErrorCodes.RequestEntityTooLarge:
      return 'The result is larger than this channel accepts as an upload.';
    default:
      return 'Discord rejected the reply. Please try again; if it keeps happening, tell an admin.';
  }
}

/**
 * Counts a failed Discord call in `metrics` by its Discord error code, or by its HTTP status when
 * Discord sent no code (a 401 carries code 0, and a 5xx left after discord.js's retries is an
 * HTTPError). Other errors, such as network failures, are no API errors and are not counted.
 */
export function recordDiscordError(metrics: IrisMetrics, error: unknown): void {
  if (error instanceof DiscordAPIError) {
    const code = error.code === 0 || error.code === '' ? error.status : error.code;
    metrics.platformApiError({ platform: 'discord', code: String(code) });
  } else if (error instanceof HTTPError) {
    metrics.platformApiError({ platform: 'discord', code: String(error.status) });
  }
}

/**
 * Logs a failed Discord call with its code, status and route, and counts it in `metrics`. The
 * request's ids come from `logger`.
 */
export function logDiscordError(metrics: IrisMetrics, logger: Logger, error: unknown, action: string): void {
  recordDiscordError(metrics, error);
  if (error instanceof DiscordAPIError) {
    logger.warn(
      {
        discordCode: error.code,
        status: error.status,
        method: error.method,
        route: routeOf(error.url),
        action,
      },
      `Discord call failed: ${action}: ${error.message}`,
    );
    return;
  }
  logger.error({ err: error, action }, `Discord call failed: ${action}`);
}

// Interaction and webhook URLs carry the interaction token, a credential: keep only the route shape.
function routeOf(url: string): string {
  return new URL(url).pathname
    .replace(/\/(interactions|webhooks)\/(\d+)\/[^/]+/, '/$1/$2/:token')
    .replace(/^\/api\/v\d+/, '');
}
