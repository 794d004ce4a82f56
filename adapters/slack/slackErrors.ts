import { IrisError, toIrisError } from '../../src/errors/IrisError.js';
import type { IrisMetrics } from '../../src/metrics/IrisMetrics.js';

interface SlackErrorText {
  userMessage: string;
  adminHint: string;
}

/** What users and admins read for the Web API errors Iris expects. */
const knownErrors: Record<string, SlackErrorText> = {
  not_in_channel: {
    userMessage: 'I am not a member of this channel. Invite me with `/invite @Iris` and try again.',
    adminHint: 'The bot must be a member of the channel; invite it, or add the chat:write.public scope.',
  },
  channel_not_found: {
    userMessage: 'I cannot see this channel. Invite me with `/invite @Iris` and try again.',
    adminHint: 'The channel is private or in another workspace; invite the bot to it.',
  },
  missing_scope: {
    userMessage: 'The Slack app is missing a permission it needs. An admin has been told which one.',
    adminHint: 'Add the scope named in `needed` to the Slack app (see slack-manifest.yaml) and reinstall it.',
  },
  ratelimited: {
    userMessage: 'Slack is limiting how fast I can post right now. Please try again in a minute.',
    adminHint: 'Slack answered ratelimited after the client waited out Retry-After.',
  },
  invalid_auth: {
    userMessage: 'The Slack app’s credentials were rejected. An admin has been told.',
    adminHint: 'SLACK_BOT_TOKEN is invalid or revoked; reinstall the app and set the new xoxb- token.',
  },
  msg_too_long: {
    userMessage: 'The reply was too long for Slack and was cut.',
    adminHint: 'A message exceeded Slack’s length limit; the streaming reply splits at 3,900 characters.',
  },
};

interface WebApiErrorShape {
  code?: string;
  data?: { error?: string; needed?: string };
  retryAfter?: number;
  statusCode?: number;
  message?: string;
}

/** The Slack error string of a Web API failure (`not_in_channel`, `ratelimited`, ...), if any. */
export function slackErrorOf(error: unknown): string | undefined {
  const shape = error as WebApiErrorShape | undefined;
  if (shape?.code === 'slack_webapi_platform_error') return shape.data?.error;
  if (shape?.code === 'slack_webapi_rate_limited_error') return 'ratelimited';
  // After its retries the client rejects with a plain Error naming the rate limit.
  if (shape instanceof Error && /rate limit was exceeded/i.test(shape.message)) return 'ratelimited';
  return undefined;
}

/**
 * Wraps a Slack Web API failure in an IrisError with a message for the user and a hint for the admin;
 * anything else goes through toIrisError unchanged.
 */
export function fromSlackError(error: unknown, method?: string): IrisError {
  if (error instanceof IrisError) return error;
  const slackError = slackErrorOf(error);
  const shape = error as WebApiErrorShape;
  if (slackError === undefined) {
    if (shape?.code?.startsWith('slack_webapi_')) {
      return new IrisError('PLATFORM_API_FAILED', `Slack ${method ?? 'API'} call failed: ${shape.message}`, {
        userMessage: 'Slack could not be reached. Please try again in a minute.',
        retryable: true,
        details: { method, slackCode: shape.code },
        cause: error,
      });
    }
    return toIrisError(error);
  }

  const known = knownErrors[slackError];
  return new IrisError('PLATFORM_API_FAILED', `Slack ${method ?? 'API'} call failed: ${slackError}`, {
    userMessage: known?.userMessage ?? `Slack rejected the request (${slackError}). Please try again.`,
    adminHint:
      known?.adminHint ??
      `Slack returned the error ${slackError}; see its Web API documentation for that code.`,
    retryable: slackError === 'ratelimited',
    details: {
      method,
      slackError,
      ...(shape.data?.needed ? { needed: shape.data.needed } : {}),
    },
    cause: error,
  });
}

/** True when posting into the channel cannot work, so the user must be told another way. */
export function cannotPostInChannel(error: IrisError): boolean {
  const slackError = error.details.slackError;
  return slackError === 'not_in_channel' || slackError === 'channel_not_found';
}

/** Counts a Web API failure by its Slack error string (or the client's error code) in the platform metrics. */
export function recordSlackApiError(metrics: IrisMetrics, error: unknown): void {
  const code = slackErrorOf(error) ?? (error as WebApiErrorShape | undefined)?.code;
  if (code !== undefined && code !== 'ratelimited') metrics.platformApiError({ platform: 'slack', code });
}
