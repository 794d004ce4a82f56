import { type BaseInteraction, MessageFlags, type RepliableInteraction } from 'discord.js';
import type { ChannelType } from 'discord-api-types/v10';
import { newJobId, requestLogger } from '../../../src/core/requestLogger.js';
import { toIrisError } from '../../../src/errors/IrisError.js';
import type { Logger } from '../../../src/logging/logger.js';
import type { DiscordContext } from '../context.js';
import { chooseDelivery } from '../delivery.js';
import { logDiscordError } from '../discordErrors.js';
import type { DiscordJob } from '../job.js';

// Upload limit of a server without boosts, in bytes, used when the interaction does not say.
const DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024;

/** The logger for one interaction, before a job exists. */
export function interactionLogger(
  context: DiscordContext,
  interaction: BaseInteraction,
  command: string,
): Logger {
  return requestLogger(context.core.logger, {
    platform: 'discord',
    guild: interaction.guildId ?? undefined,
    channel: interaction.channelId ?? undefined,
    user: interaction.user.id,
    interaction: interaction.id,
    command,
  });
}

/** Answers a refused request with an ephemeral message saying why and what to do; never throws. */
export async function refuse(
  context: DiscordContext,
  interaction: RepliableInteraction,
  error: unknown,
  logger: Logger,
): Promise<void> {
  const iris = toIrisError(error);
  logger.info({ code: iris.code, ...iris.details }, `request refused: ${iris.message}`);
  try {
    await interaction.reply({
      content: iris.userMessage,
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  } catch (replyError) {
    logDiscordError(context.core.metrics, logger, replyError, 'reply with refusal');
  }
}

/** The fields every job takes from its interaction: ids, token, delivery and upload limit. */
export function jobBase(interaction: RepliableInteraction, isPrivate: boolean) {
  const choice = chooseDelivery({
    private: isPrivate,
    guildId: interaction.guildId,
    channelType: interaction.channel?.type as ChannelType | undefined,
    appPermissions: interaction.appPermissions.bitfield,
  });
  return {
    ids: {
      job: newJobId(),
      guild: interaction.guildId ?? undefined,
      channel: interaction.channelId ?? '',
      user: interaction.user.id,
      interaction: interaction.id,
      application: interaction.applicationId,
    },
    interactionToken: interaction.token,
    interactionCreatedAt: interaction.createdTimestamp,
    delivery: choice.delivery,
    ...(choice.note ? { deliveryNote: choice.note } : {}),
    anchorMessageId: undefined,
    threadId: undefined,
    uploadLimitBytes: interaction.attachmentSizeLimit ?? DEFAULT_UPLOAD_LIMIT,
  };
}

/**
 * Acknowledges the interaction by posting the anchor, before any other I/O. Returns false when
 * Discord refused the acknowledgement (expired, or answered elsewhere); the job must not run then.
 */
export async function postAnchor(
  context: DiscordContext,
  interaction: RepliableInteraction,
  job: DiscordJob,
  content: string,
  logger: Logger,
): Promise<boolean> {
  try {
    const response = await interaction.reply({
      content,
      allowedMentions: { parse: [] },
      ...(job.delivery === 'ephemeral' ? { flags: MessageFlags.Ephemeral } : {}),
      withResponse: true,
    });
    job.anchorMessageId = response.resource?.message?.id;
    logger.info(
      { ackMs: Date.now() - interaction.createdTimestamp, delivery: job.delivery },
      'interaction acknowledged',
    );
    return true;
  } catch (error) {
    logDiscordError(context.core.metrics, logger, error, 'acknowledge interaction');
    return false;
  }
}
