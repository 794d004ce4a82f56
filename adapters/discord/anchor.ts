import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  RESTJSONErrorCodes,
  Routes,
} from 'discord-api-types/v10';
import type { WaitNotice } from '../../src/backends/huggingface/HuggingFaceImages.js';
import { discordRelativeTime } from '../../src/limits/Refusal.js';
import type { Logger } from '../../src/logging/logger.js';
import type { DiscordContext } from './context.js';
import { discordErrorCode, logDiscordError, recordDiscordError } from './discordErrors.js';
import type { DiscordJob } from './job.js';
import { channelTarget, interactionTokenAlive } from './replyTarget.js';

// Discord's limit for a thread name, in characters.
const MAX_THREAD_NAME = 100;
// Minutes of inactivity before Discord archives the thread: one day.
const AUTO_ARCHIVE_MINUTES = 1440;

function whatFor(job: DiscordJob, done = false): string {
  const count = job.command === 'describe' ? job.images.length : job.options.count;
  const verb =
    job.command === 'describe' ? (done ? 'Described' : 'Describing') : done ? 'Imagined' : 'Imagining';
  return count === 1 ? `${verb} an image` : `${verb} ${count} images`;
}

/** The anchor's text while the job runs. The user is named with a mention that does not ping. */
export function workingText(job: DiscordJob): string {
  return `${whatFor(job)} for <@${job.ids.user}>. Working…`;
}

/**
 * The anchor's text while the image model is loading or the image service rate-limits Iris; the
 * wait is rounded up to whole seconds.
 */
export function modelWaitText(job: DiscordJob, notice: WaitNotice): string {
  const seconds = Math.ceil(notice.waitMs / 1000);
  const reason =
    notice.reason === 'loading'
      ? `The image model is warming up, about ${seconds} s…`
      : `The image service is busy, retrying in ${seconds} s…`;
  return `${whatFor(job)} for <@${job.ids.user}>. ${reason}`;
}

/** The anchor's text from the acknowledgement until the job is admitted and queued. */
export function pendingText(job: DiscordJob): string {
  return `${whatFor(job)} for <@${job.ids.user}>. Waiting for a slot…`;
}

/** The thread's name: the command and what it is about, cut to Discord's limit. */
export function threadName(job: DiscordJob): string {
  const subject =
    job.command === 'describe'
      ? (job.options.question ?? job.images[0]?.filename ?? 'image')
      : job.options.prompt;
  const name = `${job.command}: ${subject}`.replace(/\s+/g, ' ');
  return name.length > MAX_THREAD_NAME ? `${name.slice(0, MAX_THREAD_NAME - 1)}…` : name;
}

/** Starts a public thread from the anchor message and returns its id. */
export async function startThread(
  context: DiscordContext,
  job: DiscordJob,
  anchorMessageId: string,
): Promise<string> {
  const thread = (await context.rest.post(Routes.threads(job.ids.channel, anchorMessageId), {
    body: { name: threadName(job), auto_archive_duration: AUTO_ARCHIVE_MINUTES },
  })) as { id: string };
  return thread.id;
}

export type JobOutcome = { ok: true; threadId: string | undefined } | { ok: false; reason: string };

/** New content and buttons for an anchor; `components: []` removes its buttons. */
export interface AnchorContent {
  content: string;
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/**
 * The anchor's text while the job waits: its place in the queue and an estimated start, which
 * Discord shows as a relative time that counts down by itself; undefined means "starting soon".
 */
export function queuedText(job: DiscordJob, position: number, estimatedStart: Date | undefined): string {
  const start =
    estimatedStart === undefined ? 'starting soon' : `estimated start ${discordRelativeTime(estimatedStart)}`;
  return `${whatFor(job)} for <@${job.ids.user}>. Queued: position ${position}, ${start}.`;
}

/** The anchor's text once the requester cancelled the job. */
export function cancelledText(job: DiscordJob): string {
  return `Cancelled: ${whatFor(job).toLowerCase()} for <@${job.ids.user}>.`;
}

/** The anchor's text when the job was interrupted by a restart; `canRetry` when a Retry button follows. */
export function interruptedText(job: DiscordJob, canRetry: boolean): string {
  const next = canRetry ? 'Press Retry to run it again.' : 'Please run the command again.';
  return `Interrupted: ${whatFor(job).toLowerCase()} for <@${job.ids.user}> stopped because the bot restarted. ${next}`;
}

/**
 * Edits the anchor through the interaction while its token is valid, else as the bot in the channel
 * (ephemeral anchors cannot be edited then). Never throws: returns false when the anchor could not
 * be edited, after logging why.
 */
async function sendAnchorEdit(
  context: DiscordContext,
  job: DiscordJob,
  logger: Logger,
  anchor: AnchorContent,
): Promise<boolean> {
  if (job.anchorMessageId === undefined) return false;
  const body = { ...anchor, allowed_mentions: { parse: [] } };
  try {
    if (interactionTokenAlive(context, job)) {
      await context.rest.patch(Routes.webhookMessage(job.ids.application, job.interactionToken), {
        body,
        auth: false,
      });
      return true;
    }
    if (job.delivery !== 'ephemeral') {
      await channelTarget(context, job.ids.channel).edit(job.anchorMessageId, anchor);
      return true;
    }
    logger.warn('private anchor cannot be edited after its interaction token expired');
  } catch (error) {
    // A deleted anchor needs no update; anything else is worth an admin's look.
    if (discordErrorCode(error) === RESTJSONErrorCodes.UnknownMessage) {
      recordDiscordError(context.core.metrics, error);
      logger.info('anchor message was deleted; not updated');
    } else {
      logDiscordError(context.core.metrics, logger, error, 'edit anchor');
    }
  }
  return false;
}

/**
 * Makes a final edit of the anchor (done, failed, cancelled, interrupted): it runs after the anchor's
 * earlier edits, is never dropped and does not wait for the refresh budget. Never throws: returns
 * false when the anchor could not be edited, after logging why.
 */
export async function editAnchor(
  context: DiscordContext,
  job: DiscordJob,
  logger: Logger,
  anchor: AnchorContent,
): Promise<boolean> {
  if (job.anchorMessageId === undefined) return false;
  let edited = false;
  await context.anchorEdits.run(job.ids.interaction, async () => {
    edited = await sendAnchorEdit(context, job, logger, anchor);
  });
  return edited;
}

/**
 * Asks for a status edit of the anchor (queue position, working, waiting for the model) within the
 * process's refresh budget. `render` runs when the edit's turn comes and returns the content to show
 * then, or undefined when the anchor already shows it. A newer refresh or a final edit replaces a
 * refresh still waiting for its turn.
 */
export function refreshAnchor(
  context: DiscordContext,
  job: DiscordJob,
  logger: Logger,
  render: () => AnchorContent | undefined,
): void {
  if (job.anchorMessageId === undefined) return;
  context.anchorEdits.refresh(job.ids.interaction, async () => {
    const anchor = render();
    if (anchor !== undefined) await sendAnchorEdit(context, job, logger, anchor);
  });
}

/** Edits the anchor to say the job is done (with a link to the thread) or failed (with the reason). */
export async function finishAnchor(
  context: DiscordContext,
  job: DiscordJob,
  logger: Logger,
  outcome: JobOutcome,
): Promise<void> {
  const content = outcome.ok
    ? `${whatFor(job, true)} for <@${job.ids.user}>.${outcome.threadId ? ` Result: <#${outcome.threadId}>` : ''}`
    : `Failed: ${whatFor(job).toLowerCase()} for <@${job.ids.user}>. ${outcome.reason}`;
  await editAnchor(context, job, logger, { content, components: [] });
}
