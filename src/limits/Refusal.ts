import type { IrisError } from '../errors/IrisError.js';
import type { JobCommand } from '../queue/job.js';

/**
 * The reason a request was not admitted. `retryAt` is when the next slot opens, so adapters can show a
 * Discord relative timestamp or a Slack date. For `guild-queue` it is an estimate.
 */
export type Refusal =
  /** The guild spent its budget for this command in the sliding window. */
  | { reason: 'guild-budget'; command: JobCommand; limit: number; windowMs: number; retryAt: Date }
  /** The guild's admins set this command's budget to 0. */
  | { reason: 'command-disabled'; command: JobCommand }
  /** The user sent a request less than `cooldownMs` milliseconds ago. */
  | { reason: 'cooldown'; cooldownMs: number; retryAt: Date }
  /** The user already has `maxQueued` jobs waiting; a place frees when one of them starts. */
  | { reason: 'user-queue'; maxQueued: number }
  /** The guild already has `cap` jobs waiting. */
  | { reason: 'guild-queue'; cap: number; retryAt: Date }
  /** The guild's admins did not allow the bot in this channel. */
  | { reason: 'channel-not-allowed' }
  /** The store is unreachable, so limits cannot be checked (fail closed) or the job cannot be kept. */
  | { reason: 'store-unavailable'; error: IrisError };

/**
 * Formats a moment for the platform: Discord `<t:UNIX:R>` relative timestamps, Slack
 * `<!date^UNIX^{date_short_pretty} {time}|fallback>`; see {@link discordRelativeTime} and {@link slackDate}.
 */
export type TimeFormatter = (date: Date) => string;

/** A Discord relative timestamp ("in 5 minutes"), rendered in the reader's time zone. */
export function discordRelativeTime(date: Date): string {
  return `<t:${Math.ceil(date.getTime() / 1000)}:R>`;
}

/** A Slack date token, rendered in the reader's time zone, with an ISO 8601 UTC fallback for old clients. */
export function slackDate(date: Date): string {
  return `<!date^${Math.ceil(date.getTime() / 1000)}^{date_short_pretty} at {time}|${date.toISOString()}>`;
}

/**
 * The sentence the user reads (ephemerally) for a refusal, with times formatted for their platform.
 * `place` names the guild as its users call it: a Discord `server` (the default) or a Slack `workspace`.
 */
export function refusalMessage(
  refusal: Refusal,
  formatTime: TimeFormatter,
  place: 'server' | 'workspace' = 'server',
): string {
  switch (refusal.reason) {
    case 'guild-budget':
      return `This ${place} has used all ${refusal.limit} /${refusal.command} requests allowed per ${formatDuration(refusal.windowMs).replace(/^1 /, '')}. The next one opens ${formatTime(refusal.retryAt)}.`;
    case 'command-disabled':
      return `/${refusal.command} is turned off on this ${place} by its admins.`;
    case 'cooldown':
      return `Please wait ${formatDuration(refusal.cooldownMs)} between requests. You can send the next one ${formatTime(refusal.retryAt)}.`;
    case 'user-queue':
      return `You already have ${refusal.maxQueued} requests waiting. Send another when one of them has started, or cancel one.`;
    case 'guild-queue':
      return `This ${place} already has ${refusal.cap} requests waiting, the most allowed. A place should free up around ${formatTime(refusal.retryAt)}.`;
    case 'channel-not-allowed':
      return `The admins of this ${place} have not allowed the bot in this channel. Please use one of the allowed channels.`;
    case 'store-unavailable':
      return refusal.error.userMessage;
  }
}

function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? '1 hour' : `${ms / 3_600_000} hours`;
  if (ms % 60_000 === 0) return ms === 60_000 ? '1 minute' : `${ms / 60_000} minutes`;
  const seconds = Math.ceil(ms / 1000);
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}
