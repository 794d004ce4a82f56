import type { ChatInputCommandInteraction } from 'discord.js';
import type { GuildSettings } from '../../src/settings/guildSettingsSchema.js';
import { resettableSettings } from './irisCommandDefinition.js';

function added(list: string[], item: string | null): string[] | undefined {
  if (item === null) return undefined;
  return list.includes(item) ? list : [...list, item];
}

function removed(list: string[], item: string | null): string[] | undefined {
  if (item === null) return undefined;
  return list.filter((entry) => entry !== item);
}

/**
 * Builds the settings patch from `/iris settings` options, over the guild's current settings (lists
 * gain or lose one entry). Returns an empty object when no option was given. The store validates it.
 */
export function settingsPatch(
  interaction: ChatInputCommandInteraction,
  current: GuildSettings,
): Record<string, unknown> {
  const options = interaction.options;
  const patch: Record<string, unknown> = {};
  const limits: Record<string, number> = {};

  const imagineBudget = options.getInteger('imagine_budget');
  if (imagineBudget !== null) limits.imagineBudget = imagineBudget;
  const describeBudget = options.getInteger('describe_budget');
  if (describeBudget !== null) limits.describeBudget = describeBudget;
  const cooldownSeconds = options.getInteger('cooldown_seconds');
  if (cooldownSeconds !== null) limits.cooldownMs = cooldownSeconds * 1000;
  const queueCap = options.getInteger('queue_cap');
  if (queueCap !== null) limits.queueCap = queueCap;
  if (Object.keys(limits).length > 0) patch.limits = limits;

  const mode = options.getString('default_mode');
  if (mode !== null) patch.defaultDescribeMode = mode;

  let channels = current.allowedChannels;
  channels = added(channels, options.getChannel('allow_channel')?.id ?? null) ?? channels;
  channels = removed(channels, options.getChannel('disallow_channel')?.id ?? null) ?? channels;
  if (channels !== current.allowedChannels) patch.allowedChannels = channels;

  let words = current.blockedWords;
  words = added(words, options.getString('block_word')?.trim().toLowerCase() ?? null) ?? words;
  words = removed(words, options.getString('unblock_word')?.trim().toLowerCase() ?? null) ?? words;
  if (words !== current.blockedWords) patch.blockedWords = words;

  let patterns = current.blockedPatterns;
  patterns = added(patterns, options.getString('block_pattern')?.trim() ?? null) ?? patterns;
  patterns = removed(patterns, options.getString('unblock_pattern')?.trim() ?? null) ?? patterns;
  if (patterns !== current.blockedPatterns) patch.blockedPatterns = patterns;

  // A null value returns the setting to its default; it wins over a change in the same command.
  const reset = options.getString('reset');
  if (reset !== null && reset in resettableSettings) patch[reset] = null;
  return patch;
}
