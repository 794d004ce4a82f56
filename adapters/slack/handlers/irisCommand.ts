import type { App } from '@slack/bolt';
import { requestLogger } from '../../../src/core/requestLogger.js';
import type { BudgetUsage } from '../../../src/limits/Admission.js';
import { slackDate } from '../../../src/limits/Refusal.js';
import type { Logger } from '../../../src/logging/logger.js';
import type { GuildSettings } from '../../../src/settings/guildSettingsSchema.js';
import { canManageSettings, type SettingsActor } from '../../../src/settings/permissions.js';
import { RESET_VALUE, settingAssignment, settingKeys } from '../../../src/settings/settingAssignment.js';
import type { JobRunner } from '../JobRunner.js';
import { unescapeSlackText } from '../mentionText.js';
import { respondEphemeral } from '../postInThread.js';
import type { SlackContext } from '../SlackContext.js';
import { fromSlackError } from '../slackErrors.js';
import { escapeSlackText } from '../slackSink.js';

/** The help text sent for `/iris` without a known subcommand. */
export const IRIS_HELP = [
  '`/iris usage`: this workspace’s use of its limits.',
  '`/iris settings`: the settings in force.',
  `\`/iris settings set <key> <value>\`: change one (keys: ${Object.keys(settingKeys).join(', ')}). Lists are comma-separated or a JSON array; \`${RESET_VALUE}\` restores the default.`,
  'Only workspace admins and owners can use these commands.',
].join('\n');

interface IrisRequest {
  teamId: string;
  userId: string;
  text: string;
}

async function slackActor(context: SlackContext, userId: string): Promise<SettingsActor> {
  const result = await context.client.users.info({ user: userId });
  const user = result.user as { is_admin?: boolean; is_owner?: boolean } | undefined;
  return { platform: 'slack', userId, isAdmin: user?.is_admin === true, isOwner: user?.is_owner === true };
}

function windowText(ms: number): string {
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? 'hour' : `${ms / 3_600_000} hours`;
  return `${Math.round(ms / 60_000)} minutes`;
}

function usageLine(command: string, usage: BudgetUsage): string {
  const next =
    usage.used >= usage.limit && usage.nextSlotAt !== undefined
      ? ` The next one opens ${slackDate(usage.nextSlotAt)}.`
      : '';
  return `• \`/${command}\`: ${usage.used} of ${usage.limit} used in the last ${windowText(usage.windowMs)}.${next}`;
}

function listText(
  items: string[],
  format: (item: string) => string = (item) => `\`${escapeSlackText(item)}\``,
) {
  return items.length === 0 ? '(none)' : items.map(format).join(', ');
}

/** Formats the settings in force, one line each, under the names `settings set` takes. */
export function settingsText(settings: GuildSettings): string {
  const { limits } = settings;
  return [
    '*Iris settings for this workspace*',
    `• imagineBudget: ${limits.imagineBudget} per budget window`,
    `• describeBudget: ${limits.describeBudget} per budget window`,
    `• cooldownMs: ${limits.cooldownMs} ms between one user’s requests`,
    `• queueCap: ${limits.queueCap} waiting requests at most`,
    `• defaultDescribeMode: ${settings.defaultDescribeMode}`,
    `• allowedChannels: ${settings.allowedChannels.length === 0 ? 'all channels' : listText(settings.allowedChannels, (id) => `<#${id}>`)}`,
    `• blockedWords: ${listText(settings.blockedWords)}`,
    `• blockedPatterns: ${listText(settings.blockedPatterns)}`,
    `• nsfwWords: ${listText(settings.nsfwWords)}`,
    `• safetyNegativePrompt: ${escapeSlackText(settings.safetyNegativePrompt)}`,
  ].join('\n');
}

/** Channel mentions (`<#C123|general>`) become bare ids, which the settings store. */
function unwrapChannelMentions(text: string): string {
  return text.replace(/<#([A-Z0-9]+)(?:\|[^>]*)?>/g, '$1');
}

async function answer(context: SlackContext, request: IrisRequest, logger: Logger): Promise<string> {
  const [subcommand = '', verb = '', key = ''] = request.text.trim().split(/\s+/);
  if (subcommand !== 'usage' && subcommand !== 'settings') return IRIS_HELP;

  const actor = await slackActor(context, request.userId);
  if (!canManageSettings(actor)) {
    logger.info({ subcommand }, '/iris rejected: the user is not a workspace admin or owner');
    return 'Only workspace admins and owners can use `/iris`.';
  }

  const { jobSystem } = context;
  const scope = { platform: 'slack' as const, guildId: request.teamId };
  if (subcommand === 'usage') {
    const usage = await jobSystem.admission.usage(scope);
    const settings = await jobSystem.settings.get(scope);
    const { guildQueued } = jobSystem.queue.counts({ ...scope, userId: request.userId });
    return [
      '*Iris usage in this workspace*',
      usageLine('imagine', usage.imagine),
      usageLine('describe', usage.describe),
      `• Waiting in the queue: ${guildQueued} of ${settings.limits.queueCap}.`,
    ].join('\n');
  }

  if (verb === '') return settingsText(await jobSystem.settings.get(scope));
  if (verb !== 'set' || key === '') return IRIS_HELP;

  // The value is everything after the key, with its spacing kept (for patterns and negative prompts).
  // The command is escaped (see slack-manifest.yaml), so channels arrive as <#C…|name> and & < > as entities.
  const value = unescapeSlackText(
    unwrapChannelMentions(request.text.trim().replace(/^settings\s+set\s+\S+\s*/, '')),
  );
  const updated = await jobSystem.settings.update(scope, settingAssignment(key, value), actor);
  return `Saved.\n${settingsText(updated)}`;
}

/**
 * Registers `/iris usage` and `/iris settings [set <key> <value>]`, for workspace admins and owners
 * (from `users.info`). The command is acknowledged at once, and the reply follows through its
 * `response_url`, seen only by the admin. Every change is validated and logged with who made it.
 */
export function registerIrisCommand(app: App, context: SlackContext, runner: JobRunner): void {
  app.command('/iris', async ({ command, ack }) => {
    await ack();
    const logger = requestLogger(context.core.logger, {
      platform: 'slack',
      guild: command.team_id,
      channel: command.channel_id,
      user: command.user_id,
      interaction: command.trigger_id,
      command: 'iris',
    });
    const request = { teamId: command.team_id, userId: command.user_id, text: command.text };

    runner.defer(logger, async () => {
      let text: string;
      try {
        text = await answer(context, request, logger);
      } catch (error) {
        const failure = fromSlackError(error);
        logger.info({ code: failure.code, ...failure.details }, '/iris request failed');
        text = escapeSlackText(failure.userMessage);
      }
      await respondEphemeral(command.response_url, text, { markup: true });
    });
  });
}
