import { IrisError } from '../errors/IrisError.js';
import type { GuildSettings } from './guildSettingsSchema.js';

export interface PromptPolicyInput {
  prompt: string;
  negativePrompt?: string | undefined;
  /** Whether the channel is age-restricted (Discord `nsfw`). Slack has no such channels: pass false. */
  ageRestricted: boolean;
}

/**
 * Applies a guild's prompt rules to an `/imagine` request and returns the negative prompt to send.
 * Prompts matching `blockedWords` or `blockedPatterns` are refused in every channel; outside
 * age-restricted channels `nsfwWords` are refused too and `safetyNegativePrompt` is always added.
 * Throws `PROMPT_BLOCKED`; the user message does not repeat the matched term.
 */
export function applyPromptPolicy(settings: GuildSettings, input: PromptPolicyInput): string | undefined {
  const words = input.ageRestricted
    ? settings.blockedWords
    : [...settings.blockedWords, ...settings.nsfwWords];
  const matchedWord = words.find((word) => wholeWordPattern(word).test(input.prompt));
  const matchedPattern = settings.blockedPatterns.find((source) =>
    new RegExp(source, 'iu').test(input.prompt),
  );

  if (matchedWord !== undefined || matchedPattern !== undefined) {
    throw new IrisError('PROMPT_BLOCKED', 'The prompt matches a blocked word or pattern of this guild.', {
      userMessage: input.ageRestricted
        ? 'This prompt contains a word or phrase this server does not allow. Please reword it.'
        : 'This prompt contains a word or phrase that is not allowed here. Please reword it, or use an age-restricted channel if the server allows it there.',
      details: { matchedWord, matchedPattern },
    });
  }

  if (input.ageRestricted) return input.negativePrompt;
  const given = input.negativePrompt?.trim();
  return given ? `${given}, ${settings.safetyNegativePrompt}` : settings.safetyNegativePrompt;
}

function wholeWordPattern(word: string): RegExp {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Letters and digits in any script count as word characters, so "sex" does not match "Essex".
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu');
}
