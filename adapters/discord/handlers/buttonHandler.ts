import { type ButtonInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { Routes } from 'discord-api-types/v10';
import { parseImagineOptions } from '../../../commands/imagine/options.js';
import { IrisError } from '../../../src/errors/IrisError.js';
import type { Logger } from '../../../src/logging/logger.js';
import { type ButtonData, decodeButton } from '../buttons.js';
import type { DiscordContext } from '../context.js';
import { explainDiscordError, logDiscordError } from '../discordErrors.js';
import { checkDeclaredImage, imageSourcesOfMessage } from '../imageSources.js';
import { NEGATIVE_PREFIX } from '../imagineJob.js';
import type { DiscordJob } from '../job.js';
import { interactionLogger, jobBase, refuse } from './acknowledge.js';
import { submitInteractionJob } from './submitJob.js';

// How many images Variations makes.
const VARIATION_COUNT = 4;

async function deleteResult(
  context: DiscordContext,
  interaction: ButtonInteraction,
  data: ButtonData,
  logger: Logger,
): Promise<void> {
  const allowed =
    interaction.user.id === data.requesterId ||
    interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) === true;
  if (!allowed) {
    const error = new IrisError('INVALID_OPTION', 'Delete pressed by someone else.', {
      userMessage:
        'Only the person who asked for this image, or members with Manage Messages, can delete it.',
    });
    return refuse(context, interaction, error, logger);
  }
  try {
    await interaction.deferUpdate();
    await context.rest.delete(Routes.channelMessage(interaction.channelId, interaction.message.id));
    logger.info({ message: interaction.message.id }, 'result deleted');
  } catch (error) {
    logDiscordError(context.core.metrics, logger, error, 'delete result');
    await interaction
      .followUp({
        content: explainDiscordError(error),
        flags: MessageFlags.Ephemeral,
        allowedMentions: { parse: [] },
      })
      .catch((followUpError: unknown) =>
        logDiscordError(context.core.metrics, logger, followUpError, 'report failed delete'),
      );
  }
}

function jobFor(interaction: ButtonInteraction, data: ButtonData, context: DiscordContext): DiscordJob {
  const base = jobBase(interaction, false);
  if (data.action === 'describe') {
    const images = imageSourcesOfMessage(interaction.message);
    for (const source of images) checkDeclaredImage(source, context.core.imageLimits.maxBytes);
    // The guild's default mode replaces this one once the interaction is acknowledged.
    return { ...base, command: 'describe', options: { mode: 'detailed' }, images };
  }
  const negativeLine = interaction.message.content
    .split('\n')
    .find((line) => line.startsWith(NEGATIVE_PREFIX));
  const options = parseImagineOptions({
    // The prompt travels as the alt text of the result's images.
    prompt: interaction.message.attachments.first()?.description ?? '',
    negative: negativeLine?.slice(NEGATIVE_PREFIX.length),
    size: data.size,
    steps: data.steps,
    guidance: data.guidance,
    count: data.action === 'vary' ? VARIATION_COUNT : data.count,
  });
  return { ...base, command: 'imagine', options };
}

/** The buttons under an `/imagine` result: Re-roll, Variations, Describe and Delete. */
export async function handleButton(context: DiscordContext, interaction: ButtonInteraction): Promise<void> {
  const data = decodeButton(interaction.customId);
  const logger = interactionLogger(context, interaction, `button:${data?.action ?? 'unknown'}`);
  if (data === undefined) {
    logger.warn({ customId: interaction.customId }, 'button with an unknown custom id');
    return refuse(
      context,
      interaction,
      new IrisError('INVALID_OPTION', 'Unknown button.', {
        userMessage: 'This button is no longer supported.',
      }),
      logger,
    );
  }
  if (data.action === 'delete') return deleteResult(context, interaction, data, logger);

  let job: DiscordJob;
  try {
    job = jobFor(interaction, data, context);
  } catch (error) {
    return refuse(context, interaction, error, logger);
  }
  await submitInteractionJob(context, interaction, job, logger, {
    guildDescribeMode: job.command === 'describe',
  });
}
