import type { RawImagineOptions } from '../../commands/imagine/options.js';
import { IrisError } from '../../src/errors/IrisError.js';

/** The flags `/imagine` accepts as text, mapped to the option each one sets. */
const flagOptions = {
  negative: 'negative',
  size: 'size',
  seed: 'seed',
  steps: 'steps',
  count: 'count',
} as const satisfies Record<string, keyof RawImagineOptions>;

type FlagName = keyof typeof flagOptions;

// A flag is `--name` at the start or after whitespace. Slack clients with smart punctuation turn `--`
// into an em dash (—) or an en dash (–), so those count as the flag prefix too.
const FLAG_PATTERN = /(?:^|\s)(?:--|—|–)([a-z]+)(?=\s|$)/gi;

/**
 * Parses `/imagine` text such as `a lighthouse at dusk --size 768x512 --seed 7` into raw options:
 * the text before the first flag is the prompt, and each flag takes the text up to the next flag.
 * Values are validated later by parseImagineOptions.
 */
export function parseImagineFlags(text: string): RawImagineOptions {
  const matches = [...text.matchAll(FLAG_PATTERN)];
  const firstIndex = matches[0]?.index ?? text.length;
  const raw: RawImagineOptions = { prompt: text.slice(0, firstIndex).trim() };

  for (const [position, match] of matches.entries()) {
    const name = (match[1] ?? '').toLowerCase();
    if (!(name in flagOptions)) {
      throw new IrisError('INVALID_OPTION', `Unknown flag --${name}.`, {
        userMessage: `Unknown flag --${name}. Use --negative, --size, --seed, --steps or --count.`,
        details: { option: name },
      });
    }
    const option = flagOptions[name as FlagName];
    if (raw[option] !== undefined) {
      throw new IrisError('INVALID_OPTION', `Flag --${name} given twice.`, {
        userMessage: `The flag --${name} is given twice; keep one.`,
        details: { option: name },
      });
    }
    const valueStart = (match.index ?? 0) + match[0].length;
    const valueEnd = matches[position + 1]?.index ?? text.length;
    const value = text.slice(valueStart, valueEnd).trim();
    if (value === '') {
      throw new IrisError('INVALID_OPTION', `Flag --${name} has no value.`, {
        userMessage: `The flag --${name} needs a value, for example \`${exampleOf(name as FlagName)}\`.`,
        details: { option: name },
      });
    }
    raw[option] = value;
  }
  return raw;
}

function exampleOf(name: FlagName): string {
  const examples: Record<FlagName, string> = {
    negative: '--negative blurry, text',
    size: '--size 768x512',
    seed: '--seed 42',
    steps: '--steps 30',
    count: '--count 2',
  };
  return examples[name];
}
