import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../src/stream/splitMessage.js';

const fences = (text: string) => (text.match(/^ {0,3}```/gm) ?? []).length;

describe('splitMessage', () => {
  it('keeps short text whole', () => {
    expect(splitMessage('Hello there.', 2000)).toEqual(['Hello there.']);
  });

  it('returns nothing for blank text', () => {
    expect(splitMessage('  \n ', 2000)).toEqual([]);
  });

  it('cuts at a paragraph break near the limit', () => {
    const first = 'a'.repeat(70);
    const text = `${first}\n\n${'b'.repeat(50)}`;
    expect(splitMessage(text, 100)).toEqual([first, 'b'.repeat(50)]);
  });

  it('cuts at a sentence end when there is no break', () => {
    const text = `${'Word '.repeat(12)}ends here. ${'More words follow '.repeat(5)}`;
    const parts = splitMessage(text, 80);
    expect(parts[0]?.endsWith('ends here.')).toBe(true);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(80);
  });

  it('hard-cuts a word longer than the limit', () => {
    const parts = splitMessage('x'.repeat(250), 100);
    expect(parts.join('')).toBe('x'.repeat(250));
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(100);
  });

  it('closes and reopens a code fence across a cut', () => {
    const code = Array.from({ length: 40 }, (_, line) => `  const value${line} = ${line};`).join('\n');
    const text = `Here is the code:\n\n\`\`\`typescript\n${code}\n\`\`\`\n\nThat is all.`;
    const parts = splitMessage(text, 400);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(400);
      expect(fences(part) % 2).toBe(0);
    }
    expect(parts[1]?.startsWith('```typescript\n')).toBe(true);
    // Indentation of code lines survives the cut.
    expect(parts[1]?.split('\n')[1]).toMatch(/^ {2}const value/);
    // Every code line appears exactly once across the messages.
    const joined = parts.join('\n');
    for (let line = 0; line < 40; line++) expect(joined.split(`const value${line} =`).length).toBe(2);
  });

  it('closes a fence still open at the end of a streaming text', () => {
    expect(splitMessage('```python\nprint(1)', 2000)).toEqual(['```python\nprint(1)\n```']);
  });

  it('gives the same leading messages for a prefix of the text', () => {
    const text = Array.from({ length: 30 }, (_, index) => `Sentence number ${index} is here.`).join(' ');
    const whole = splitMessage(text, 200);
    const prefix = splitMessage(text.slice(0, 500), 200);
    expect(prefix.slice(0, -1)).toEqual(whole.slice(0, prefix.length - 1));
  });
});
