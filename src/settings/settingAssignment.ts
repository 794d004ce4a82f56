import { IrisError } from '../errors/IrisError.js';

/** Settings an admin can set one at a time, by the name they type, with where each lives in the overrides. */
export const settingKeys = {
  imagineBudget: { path: ['limits', 'imagineBudget'], kind: 'number' },
  describeBudget: { path: ['limits', 'describeBudget'], kind: 'number' },
  cooldownMs: { path: ['limits', 'cooldownMs'], kind: 'number' },
  queueCap: { path: ['limits', 'queueCap'], kind: 'number' },
  defaultDescribeMode: { path: ['defaultDescribeMode'], kind: 'text' },
  allowedChannels: { path: ['allowedChannels'], kind: 'list' },
  blockedWords: { path: ['blockedWords'], kind: 'list' },
  blockedPatterns: { path: ['blockedPatterns'], kind: 'list' },
  nsfwWords: { path: ['nsfwWords'], kind: 'list' },
  safetyNegativePrompt: { path: ['safetyNegativePrompt'], kind: 'text' },
} as const;

export type SettingKey = keyof typeof settingKeys;

/** The value that returns a setting to the bot's default. */
export const RESET_VALUE = 'default';

/**
 * Turns one typed assignment (`imagineBudget 5`, `blockedWords gore, blood`) into a patch for
 * `GuildSettingsStore.update`, which validates it with zod. Lists are comma-separated or a JSON array
 * (for patterns that contain commas); `default` removes the override. Numbers that do not parse are
 * passed on as text, so the zod message names the problem. Throws `INVALID_OPTION` for an unknown key.
 */
export function settingAssignment(key: string, value: string): Record<string, unknown> {
  const match = (Object.keys(settingKeys) as SettingKey[]).find(
    (name) => name.toLowerCase() === key.trim().toLowerCase(),
  );
  if (match === undefined) {
    throw new IrisError('INVALID_OPTION', `Unknown setting: ${key}`, {
      userMessage: `Unknown setting "${key}". Settings: ${Object.keys(settingKeys).join(', ')}.`,
      details: { option: key },
    });
  }

  const { path, kind } = settingKeys[match];
  const text = value.trim();
  const parsed = text.toLowerCase() === RESET_VALUE ? null : parseValue(kind, text);
  return path.length === 2 ? { [path[0]]: { [path[1]]: parsed } } : { [path[0]]: parsed };
}

function parseValue(kind: 'number' | 'text' | 'list', text: string): unknown {
  if (kind === 'text') return text;
  if (kind === 'number') return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  if (text === '') return [];
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
