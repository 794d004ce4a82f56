import { describe, expect, it } from 'vitest';
import { buildDescribeMessages } from '../../commands/describe/describe.js';
import { describeModes } from '../../commands/describe/modes.js';
import { MAX_QUESTION_LENGTH, parseDescribeOptions } from '../../commands/describe/options.js';
import { describePrompts, questionPrompt } from '../../commands/describe/prompts.js';
import type { NormalizedImage } from '../../src/image/normalizeImage.js';

const image = { data: Buffer.from([0xff, 0xd8, 0xff]) } as NormalizedImage;

describe('describe options', () => {
  it('defaults to the detailed mode', () => {
    expect(parseDescribeOptions({})).toEqual({ mode: 'detailed' });
  });

  it('accepts every mode, in any case', () => {
    for (const mode of describeModes)
      expect(parseDescribeOptions({ mode: mode.toUpperCase() }).mode).toBe(mode);
  });

  it('rejects an unknown mode, listing the valid ones', () => {
    expect(() => parseDescribeOptions({ mode: 'poem' })).toThrow(/Unknown describe mode/);
    try {
      parseDescribeOptions({ mode: 'poem' });
    } catch (error) {
      expect((error as { userMessage: string }).userMessage).toBe(
        'Unknown mode "poem". Choose one of: caption, detailed, objects, text, code, diagram.',
      );
    }
  });

  it('cleans the question and drops a blank one', () => {
    expect(parseDescribeOptions({ question: '  what\u0000 is\tthis?  ' })).toEqual({
      mode: 'detailed',
      question: 'what is this?',
    });
    expect(parseDescribeOptions({ question: ' \n ' })).toEqual({ mode: 'detailed' });
  });

  it('rejects a question over the limit', () => {
    expect(() => parseDescribeOptions({ question: 'a'.repeat(MAX_QUESTION_LENGTH + 1) })).toThrow(
      /Question is 501 characters/,
    );
  });
});

describe('describe prompts', () => {
  it('has a prompt for every mode', () => {
    for (const mode of describeModes) expect(describePrompts[mode].length).toBeGreaterThan(20);
  });

  it('asks for one sentence in caption mode and a fenced block in code mode', () => {
    expect(describePrompts.caption).toMatch(/one sentence/i);
    expect(describePrompts.code).toMatch(/fenced .*code block/i);
    expect(describePrompts.objects).toMatch(/position/i);
    expect(describePrompts.text).toMatch(/transcribe every piece of text/i);
    expect(describePrompts.diagram).toMatch(/connect/i);
  });

  it('lets a question take precedence over the mode', () => {
    const [message] = buildDescribeMessages({ mode: 'code', question: 'How many boats?', image });
    expect(message?.content).toBe(questionPrompt('How many boats?'));
    expect(message?.images).toEqual([image.data]);
  });

  it('puts the image on the first turn of a follow-up', () => {
    const messages = buildDescribeMessages({
      mode: 'detailed',
      question: 'And the sky?',
      image,
      history: [
        { role: 'user', content: describePrompts.detailed },
        { role: 'assistant', content: 'A pier on a lake.' },
      ],
    });
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[0]?.images).toEqual([image.data]);
    expect(messages[2]?.images).toBeUndefined();
  });
});
