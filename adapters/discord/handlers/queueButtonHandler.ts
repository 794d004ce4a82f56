import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { IrisError } from '../../../src/errors/IrisError.js';
import type { Logger } from '../../../src/logging/logger.js';
import type { DiscordContext } from '../context.js';
import { logDiscordError } from '../discordErrors.js';
import type { DiscordJob } from '../job.js';
import { decodeQueueButton, type QueueButtonData } from '../queueButtons.js';
import { channelTarget } from '../replyTarget.js';
import { interactionLogger, jobBase, refuse } from './acknowledge.js';
import { submitInteractionJob } from './submitJob.js';

async function tellPresser(
  context: DiscordContext,
  interaction: ButtonInteraction,
  content: string,
  logger: Logger,
): Promise<void> {
  await interaction
    .followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } })
    .catch((error: unknown) => logDiscordError(context.core.metrics, logger, error, 'reply to queue button'));
}

async function cancelJob(
  context: DiscordContext,
  interaction: ButtonInteraction,
  data: QueueButtonData,
  logger: Logger,
): Promise<void> {
  try {
    await interaction.deferUpdate();
  } catch (error) {
    logDiscordError(context.core.metrics, logger, error, 'acknowledge interaction');
    return;
  }
  const result = await context.jobs.queue.cancel(data.jobId, interaction.user.id);
  if (result.ok) {
    logger.info({ job: data.jobId, wasRunning: result.wasRunning }, 'job cancelled from its anchor');
    return;
  }
  logger.info({ job: data.jobId, reason: result.reason }, 'cancel found no job to stop');
  await tellPresser(
    context,
    interaction,
    'This request has already ended, so there is nothing to cancel.',
    logger,
  );
}

async function retryJob(
  context: DiscordContext,
  interaction: ButtonInteraction,
  data: QueueButtonData,
  logger: Logger,
): Promise<void> {
  // Acknowledge with a deferred public reply, the new anchor, before reading the stored job.
  let anchorId: string | undefined;
  try {
    const response = await interaction.deferReply({ withResponse: true });
    anchorId = response.resource?.message?.id;
  } catch (error) {
    logDiscordError(context.core.metrics, logger, error, 'acknowledge interaction');
    return;
  }

  let stored: DiscordJob | undefined;
  try {
    stored = await context.retries.get(data.jobId);
  } catch (error) {
    logger.error({ err: error }, 'could not read the interrupted job');
  }
  if (stored === undefined || anchorId === undefined) {
    await interaction
      .deleteReply()
      .catch((error: unknown) => logDiscordError(context.core.metrics, logger, error, 'remove anchor'));
    await tellPresser(
      context,
      interaction,
      'This request can no longer be retried. Please run the command again.',
      logger,
    );
    return;
  }

  const base = jobBase(interaction, false);
  const job: DiscordJob =
    stored.command === 'describe'
      ? { ...base, command: 'describe', options: stored.options, images: stored.images }
      : { ...base, command: 'imagine', options: stored.options };
  const jobId = await submitInteractionJob(context, interaction, job, logger, { deferredAnchorId: anchorId });
  if (jobId === undefined) return;

  await context.retries
    .remove(data.jobId)
    .catch((error: unknown) =>
      logger.error({ err: error }, 'could not delete the retried job; its Retry button stays usable'),
    );
  // The old anchor loses its button, so a second click cannot submit the job again.
  await channelTarget(context, interaction.channelId)
    .edit(interaction.message.id, {
      content: `${interaction.message.content.replace(/ Press Retry to run it again\.$/, '')} Retried.`,
      components: [],
    })
    .catch((error: unknown) => logDiscordError(context.core.metrics, logger, error, 'remove Retry button'));
  logger.info({ retriedJob: data.jobId, job: jobId }, 'interrupted job retried');
}

/** The anchor buttons: Cancel (the requester only) and Retry of an interrupted job (the requester only). */
export async function handleQueueButton(
  context: DiscordContext,
  interaction: ButtonInteraction,
): Promise<boolean> {
  const data = decodeQueueButton(interaction.customId);
  if (data === undefined) return false;
  const logger = interactionLogger(context, interaction, `button:${data.action}`);

  if (interaction.user.id !== data.requesterId) {
    const userMessage =
      data.action === 'cancel'
        ? 'Only the person who asked for this can cancel it.'
        : 'Only the person who asked for this can retry it.';
    await refuse(
      context,
      interaction,
      new IrisError('INVALID_OPTION', `${data.action} pressed by someone else.`, { userMessage }),
      logger,
    );
    return true;
  }
  if (data.action === 'cancel') await cancelJob(context, interaction, data, logger);
  else await retryJob(context, interaction, data, logger);
  return true;
}
