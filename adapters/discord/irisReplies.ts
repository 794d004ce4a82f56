import type { BudgetUsage } from '../../src/limits/Admission.js';
import { discordRelativeTime } from '../../src/limits/Refusal.js';
import type { GuildSettings } from '../../src/settings/guildSettingsSchema.js';

/** A window length in words: "hour", "30 minutes", "2 hours". */
export function windowText(ms: number): string {
  if (ms === 3_600_000) return 'hour';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} hours`;
  if (ms % 60_000 === 0) return ms === 60_000 ? 'minute' : `${ms / 60_000} minutes`;
  return `${Math.ceil(ms / 1000)} seconds`;
}

function listText(items: string[], empty: string, format: (item: string) => string = (item) => item): string {
  return items.length === 0 ? empty : items.map(format).join(', ');
}

/** The `/iris settings` reply: every setting in force for the guild. */
export function settingsText(settings: GuildSettings, budgetWindowMs: number): string {
  const { limits } = settings;
  const per = windowText(budgetWindowMs);
  return [
    '**Iris settings for this server**',
    `/imagine budget: ${limits.imagineBudget} per ${per}${limits.imagineBudget === 0 ? ' (turned off)' : ''}`,
    `/describe budget: ${limits.describeBudget} per ${per}${limits.describeBudget === 0 ? ' (turned off)' : ''}`,
    `Cooldown: ${limits.cooldownMs / 1000} s between one member's requests`,
    `Queue cap: ${limits.queueCap} waiting requests`,
    `Default describe mode: ${settings.defaultDescribeMode}`,
    `Allowed channels: ${listText(settings.allowedChannels, 'all', (id) => `<#${id}>`)}`,
    `Blocked words: ${listText(settings.blockedWords, 'none')}`,
    `Blocked patterns: ${listText(settings.blockedPatterns, 'none', (pattern) => `\`${pattern}\``)}`,
    `Outside age-restricted channels: ${settings.nsfwWords.length} NSFW words are refused and a safety negative prompt is added.`,
  ].join('\n');
}

function budgetLine(command: string, usage: BudgetUsage): string {
  const next =
    usage.used >= usage.limit && usage.nextSlotAt !== undefined
      ? `; next slot ${discordRelativeTime(usage.nextSlotAt)}`
      : '';
  return `/${command}: ${usage.used} of ${usage.limit} used in the last ${windowText(usage.windowMs)}${next}`;
}

/** The `/iris usage` reply: the guild's use of each budget and its waiting requests. */
export function usageText(
  usage: { describe: BudgetUsage; imagine: BudgetUsage },
  waiting: number,
  queueCap: number,
): string {
  return [
    '**Iris usage for this server**',
    budgetLine('imagine', usage.imagine),
    budgetLine('describe', usage.describe),
    `Waiting requests: ${waiting} of ${queueCap}`,
  ].join('\n');
}
