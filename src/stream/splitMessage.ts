const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

interface FenceState {
  /** The line that opened the fence still open at the end, e.g. "```ts", or undefined. */
  open: string | undefined;
}

function scanFences(text: string, state: FenceState): FenceState {
  let open = state.open;
  for (const line of text.split('\n')) {
    const match = FENCE_LINE.exec(line);
    if (!match) continue;
    const marker = match[1] as string;
    if (open === undefined) open = `${marker}${(match[2] ?? '').trim()}`;
    else if (
      marker[0] === open[0] &&
      marker.length >= open.replace(/[^`~]/g, '').length &&
      (match[2] ?? '').trim() === ''
    )
      open = undefined;
  }
  return { open };
}

function closingFor(openLine: string): string {
  return openLine.replace(/[^`~].*$/, '');
}

// Cut points, best first: a paragraph break, a line break, a sentence end, a space.
const BOUNDARIES: RegExp[] = [/\n\s*\n/g, /\n/g, /[.!?…](?=\s)/g, /\s/g];

function findCut(text: string, budget: number): number {
  const window = text.slice(0, budget + 1);
  for (const boundary of BOUNDARIES) {
    let cut = -1;
    for (const match of window.matchAll(boundary)) {
      const end = match.index + (boundary === BOUNDARIES[2] ? match[0].length : 0);
      if (end <= budget) cut = end;
    }
    // A boundary in the first third would leave a stub message; try the next kind instead.
    if (cut > budget / 3) return cut;
  }
  return budget;
}

/**
 * Splits text into messages of at most `maxLength` characters, cutting at a paragraph, line or sentence
 * boundary where one is near the limit. A code fence open at a cut is closed at the end of that message
 * and reopened, with its language, at the start of the next. A fence left open at the very end is closed
 * too, so a message still streaming renders as code. Splitting a prefix of a text gives the same leading
 * messages as splitting the whole text, which lets a streamed reply edit only its last message.
 */
export function splitMessage(text: string, maxLength: number): string[] {
  const messages: string[] = [];
  let rest = text;
  let state: FenceState = { open: undefined };

  while (rest.trim() !== '') {
    const prefix = state.open === undefined ? '' : `${state.open}\n`;
    const whole = scanFences(rest, state);
    const wholeClosing = whole.open === undefined ? '' : `\n${closingFor(whole.open)}`;
    if (prefix.length + rest.length + wholeClosing.length <= maxLength) {
      messages.push(`${prefix}${rest.trimEnd()}${wholeClosing}`);
      break;
    }

    // Reserve room to close a fence at the cut: a newline and the longest marker we may need.
    const reserve = 1 + Math.max(3, (state.open ?? '').replace(/[^`~]/g, '').length, 8);
    const budget = Math.max(1, maxLength - prefix.length - reserve);
    const cut = findCut(rest, budget);
    const piece = rest.slice(0, cut).trimEnd();
    const after = scanFences(piece, state);
    const closing = after.open === undefined ? '' : `\n${closingFor(after.open)}`;
    messages.push(`${prefix}${piece}${closing}`);

    rest = rest.slice(cut);
    // Drop the whitespace at the cut, but keep a code line's indentation.
    rest = after.open === undefined ? rest.replace(/^\s+/, '') : rest.replace(/^[^\S\n]*\n/, '');
    state = after;
  }
  return messages;
}
