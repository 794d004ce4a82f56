import { isDescribeMode } from '../../commands/describe/modes.js';
import type { RawImagineOptions } from '../../commands/imagine/options.js';
import { parseImagineFlags } from './imagineFlags.js';

/** The request in a message addressed to the bot. */
export type MentionRequest =
  | { command: 'imagine'; options: RawImagineOptions }
  | { command: 'describe'; mode?: string; question?: string };

/** Removes user mentions (`<@U123>`, `<@U123|name>`) and surrounding whitespace. */
export function stripMentions(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Turns Slack's escaped message text back into what the user typed. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Reads the text after the mention: `imagine <prompt> [--flags]` requests an image. A mode word such
 * as `text` or `code`, optionally followed by a question, picks the describe mode. Any other text is
 * the question about the attached image.
 */
export function parseMentionText(text: string): MentionRequest {
  const stripped = unescapeSlackText(stripMentions(text));
  const [firstWord = '', ...rest] = stripped.split(' ');
  const keyword = firstWord.toLowerCase();

  if (keyword === 'imagine') return { command: 'imagine', options: parseImagineFlags(rest.join(' ')) };
  if (isDescribeMode(keyword)) {
    const question = rest.join(' ').trim();
    return { command: 'describe', mode: keyword, ...(question ? { question } : {}) };
  }
  return { command: 'describe', ...(stripped ? { question: stripped } : {}) };
}
