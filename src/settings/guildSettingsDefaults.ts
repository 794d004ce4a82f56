import { defaultDescribeMode } from '../../commands/describe/modes.js';
import type { Config } from '../config/schema.js';
import type { GuildSettings, GuildSettingsOverrides } from './guildSettingsSchema.js';

/** Added to `/imagine` outside age-restricted channels unless a guild sets its own. */
export const defaultSafetyNegativePrompt = 'nsfw, nudity, naked, sexual, explicit, gore, blood, violence';

/** Refused outside age-restricted channels unless a guild sets its own list. */
export const defaultNsfwWords = [
  'nsfw',
  'nude',
  'nudity',
  'naked',
  'porn',
  'sex',
  'sexual',
  'explicit',
  'hentai',
  'gore',
];

/** Builds the settings of a guild that has changed nothing from the bot's configuration. */
export function guildSettingsDefaults(config: Config): GuildSettings {
  return {
    limits: {
      imagineBudget: config.IMAGINE_BUDGET,
      describeBudget: config.DESCRIBE_BUDGET,
      cooldownMs: config.USER_COOLDOWN_MS,
      queueCap: config.GUILD_QUEUE_CAP,
    },
    defaultDescribeMode,
    allowedChannels: [],
    blockedWords: [],
    blockedPatterns: [],
    nsfwWords: [...defaultNsfwWords],
    safetyNegativePrompt: defaultSafetyNegativePrompt,
  };
}

/** Applies stored overrides on top of the defaults; `limits` merges key by key. */
export function resolveGuildSettings(
  defaults: GuildSettings,
  overrides: GuildSettingsOverrides,
): GuildSettings {
  return {
    ...defaults,
    ...overrides,
    limits: { ...defaults.limits, ...overrides.limits },
  };
}
