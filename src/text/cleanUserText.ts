/**
 * Normalises text typed by a user: Unicode NFC, control characters removed (tabs and newlines become
 * spaces), runs of spaces collapsed, and ends trimmed. Returns '' for text that was only whitespace.
 */
export function cleanUserText(text: string): string {
  return (
    text
      .normalize('NFC')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
      .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
