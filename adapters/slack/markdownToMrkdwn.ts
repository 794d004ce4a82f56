import { escapeSlackText } from './slackSink.js';

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
// Private-use characters stand for Slack's bold marker while single-asterisk italics are converted.
const BOLD = '\uE000';

/** Converts one line of prose (no code fence) outside inline code spans. */
function convertProse(text: string): string {
  return (
    text
      // Links: [text](url) → <url|text>. Slack reads `|` and `>` as the link's own syntax.
      .replace(
        /\[([^\]\n]+)\]\((\S+?)\)/g,
        (_match, label: string, url: string) => `<${url}|${label.replace(/[|>]/g, ' ')}>`,
      )
      .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, `${BOLD}$1${BOLD}`)
      .replace(/__(?=\S)(.+?)(?<=\S)__/g, `${BOLD}$1${BOLD}`)
      .replace(/(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])/g, '_$1_')
      .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '~$1~')
      .replaceAll(BOLD, '*')
  );
}

function convertLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
  if (heading) return `*${convertSpans(heading[1] as string)}*`;
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1]}• ${convertSpans(bullet[2] as string)}`;
  return convertSpans(line);
}

/** Converts prose between inline code spans and leaves the spans as they are. */
function convertSpans(line: string): string {
  return line
    .split(/(`[^`\n]+`)/)
    .map((part, index) => (index % 2 === 1 ? part : convertProse(part)))
    .join('');
}

/**
 * Turns the Markdown a model writes into Slack's mrkdwn, escaped for a message's `text`: bold, italics,
 * strikethrough, links, headings (as bold lines) and bullets. Code blocks and inline code keep their
 * content; a fence's language tag is dropped, because Slack would show it as the block's first line.
 * Text that is not Markdown comes out only escaped.
 */
export function markdownToMrkdwn(markdown: string): string {
  let inCode = false;
  return markdown
    .split('\n')
    .map((raw) => {
      const line = escapeSlackText(raw);
      if (FENCE.test(raw)) {
        inCode = !inCode;
        return '```';
      }
      return inCode ? line : convertLine(line);
    })
    .join('\n');
}
