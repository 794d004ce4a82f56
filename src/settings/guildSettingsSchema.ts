import { z } from 'zod';
import { describeModes } from '../../commands/describe/modes.js';
import { blockedPatternSchema } from './blockedPattern.js';

/** Limits an admin may set for their guild or workspace; unset ones fall back to the bot's configuration. */
export const guildLimitsSchema = z
  .object({
    /** `/imagine` requests per budget window; 0 turns the command off. */
    imagineBudget: z.number().int().min(0).max(10_000),
    /** `/describe` requests per budget window; 0 turns the command off. */
    describeBudget: z.number().int().min(0).max(10_000),
    /** Minimum time between two requests of one user, in milliseconds (at most 1 hour). */
    cooldownMs: z.number().int().min(0).max(3_600_000),
    /** Queued jobs the guild may have waiting at once. */
    queueCap: z.number().int().min(1).max(100),
  })
  .strict()
  .partial();

/**
 * What admins store for a guild or workspace: only the values they changed. Unknown keys are
 * rejected so a typo never passes as a setting that does nothing.
 */
export const guildSettingsOverridesSchema = z
  .object({
    limits: guildLimitsSchema,
    defaultDescribeMode: z.enum(describeModes),
    /** Channel ids where the bot answers; empty means every channel. */
    allowedChannels: z.array(z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be a channel id')).max(200),
    /** Words refused in `/imagine` prompts in every channel, matched whole and case-insensitively. */
    blockedWords: z.array(z.string().trim().min(1).max(60)).max(500),
    /** Regular expressions (case-insensitive, Unicode) refused in `/imagine` prompts in every channel. */
    blockedPatterns: z.array(blockedPatternSchema).max(50),
    /** Words refused outside age-restricted channels, on top of `blockedWords`. */
    nsfwWords: z.array(z.string().trim().min(1).max(60)).max(500),
    /** Negative prompt added to every `/imagine` outside age-restricted channels. */
    safetyNegativePrompt: z.string().trim().min(1).max(500),
  })
  .strict()
  .partial();

export type GuildSettingsOverrides = z.infer<typeof guildSettingsOverridesSchema>;
export type GuildLimits = Required<z.infer<typeof guildLimitsSchema>>;

/** The settings in force for one guild: its overrides on top of the defaults. */
export interface GuildSettings {
  limits: GuildLimits;
  defaultDescribeMode: (typeof describeModes)[number];
  allowedChannels: string[];
  blockedWords: string[];
  blockedPatterns: string[];
  nsfwWords: string[];
  safetyNegativePrompt: string;
}
