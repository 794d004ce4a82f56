import { Routes } from 'discord-api-types/v10';
import type { Logger } from '../../src/logging/logger.js';
import type { DiscordContext } from './context.js';
import { discordErrorCode, logDiscordError } from './discordErrors.js';
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

/** Edits the anchor to say the job is done (with a link to the thread) or failed (with the reason). */
export async function finishAnchor(
  context: DiscordContext,
  job: DiscordJob,
  logger: Logger,
  outcome: JobOutcome,
): Promise<void> {
  if (job.anchorMessageId === undefined) return;
  const content = outcome.ok
    ? `${whatFor(job, true)} for <@${job.ids.user}>.${outcome.threadId ? ` Result: <#${outcome.threadId}>` : ''}`
    : `Failed: ${whatFor(job).toLowerCase()} for <@${job.ids.user}>. ${outcome.reason}`;
  const body = { content, allowed_mentions: { parse: [] } };

  try {
    if (interactionTokenAlive(context, job)) {
      await context.rest.patch(Routes.webhookMessage(job.ids.application, job.interactionToken), {
        body,
        auth: false,
      });
    } else if (job.delivery !== 'ephemeral') {
      await channelTarget(context, job.ids.channel).edit(job.anchorMessageId, { content });
    }
  } catch (error) {
    // A deleted anchor needs no update; anything else is worth an admin's look.
    if (discordErrorCode(error) === 10008) logger.info('anchor message was deleted; not updated');
    else logDiscordError(logger, error, 'edit anchor');
  }
}
