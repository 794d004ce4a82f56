import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { toIrisError } from '../../../src/errors/IrisError.js';
import type { Logger } from '../../../src/logging/logger.js';
import { canManageSettings, type SettingsActor } from '../../../src/settings/permissions.js';
import type { DiscordContext } from '../context.js';
import { logDiscordError } from '../discordErrors.js';
import { settingsText, usageText } from '../irisReplies.js';
import { settingsPatch } from '../settingsPatch.js';
import { interactionLogger } from './acknowledge.js';

async function answer(
  context: DiscordContext,
  interaction: ChatInputCommandInteraction,
  content: string,
  logger: Logger,
): Promise<void> {
  await interaction
    .editReply({ content, allowedMentions: { parse: [] } })
    .catch((error: unknown) => logDiscordError(context.core.metrics, logger, error, 'answer /iris'));
}

async function showOrChangeSettings(
  context: DiscordContext,
  interaction: ChatInputCommandInteraction,
  guildId: string,
  actor: SettingsActor,
  logger: Logger,
): Promise<void> {
  const scope = { platform: 'discord' as const, guildId };
  const windowMs = context.core.config.BUDGET_WINDOW_MS;
  const current = await context.jobs.settings.get(scope);
  const patch = settingsPatch(interaction, current);
  if (Object.keys(patch).length === 0) {
    await answer(context, interaction, settingsText(current, windowMs), logger);
    return;
  }
  // The store logs the change with the member who made it.
  const updated = await context.jobs.settings.update(scope, patch, actor);
  logger.info({ changed: Object.keys(patch) }, '/iris settings saved');
  await answer(context, interaction, `Saved.\n${settingsText(updated, windowMs)}`, logger);
}

async function showUsage(
  context: DiscordContext,
  interaction: ChatInputCommandInteraction,
  guildId: string,
  logger: Logger,
): Promise<void> {
  const scope = { platform: 'discord' as const, guildId };
  const usage = await context.jobs.admission.usage(scope);
  const settings = await context.jobs.settings.get(scope);
  const waiting = context.jobs.queue.counts({ ...scope, userId: interaction.user.id }).guildQueued;
  await answer(context, interaction, usageText(usage, waiting, settings.limits.queueCap), logger);
}

/**
 * `/iris settings` and `/iris usage`, answered ephemerally. Acknowledges first, then checks Manage
 * Server (or Administrator) itself, since admins can override who sees the command.
 */
export async function handleIrisCommand(
  context: DiscordContext,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const subcommand = interaction.options.getSubcommand(false) ?? 'settings';
  const logger = interactionLogger(context, interaction, `iris-${subcommand}`);
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  } catch (error) {
    logDiscordError(context.core.metrics, logger, error, 'acknowledge interaction');
    return;
  }

  const guildId = interaction.guildId;
  if (guildId === null) {
    await answer(context, interaction, '/iris works only in a server.', logger);
    return;
  }
  const actor: SettingsActor = {
    platform: 'discord',
    userId: interaction.user.id,
    permissions: interaction.memberPermissions?.bitfield ?? 0n,
  };
  if (!canManageSettings(actor)) {
    logger.info('/iris refused: the member lacks Manage Server');
    await answer(
      context,
      interaction,
      'Only members with the Manage Server permission can use /iris.',
      logger,
    );
    return;
  }

  try {
    if (subcommand === 'usage') await showUsage(context, interaction, guildId, logger);
    else await showOrChangeSettings(context, interaction, guildId, actor, logger);
  } catch (error) {
    const iris = toIrisError(error);
    logger.warn(
      { err: error, code: iris.code, ...iris.details },
      `/iris ${subcommand} failed: ${iris.message}`,
    );
    await answer(context, interaction, iris.userMessage, logger);
  }
}
