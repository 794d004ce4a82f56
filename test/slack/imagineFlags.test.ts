import { describe, expect, it } from 'vitest';
import { parseImagineFlags } from '../../adapters/slack/imagineFlags.js';
import { parseMentionText } from '../../adapters/slack/mentionText.js';

describe('parseImagineFlags', () => {
  it('reads prompt and every flag', () => {
    expect(
      parseImagineFlags('a red fox --negative blurry, text --size 768x512 --seed 7 --steps 20 --count 2'),
    ).toEqual({
      prompt: 'a red fox',
      negative: 'blurry, text',
      size: '768x512',
      seed: '7',
      steps: '20',
      count: '2',
    });
  });

  it('accepts em dash from smart punctuation', () => {
    expect(parseImagineFlags('a fox —seed 9')).toEqual({ prompt: 'a fox', seed: '9' });
  });

  it('rejects unknown flag', () => {
    expect(() => parseImagineFlags('a fox --style anime')).toThrow(/Unknown flag --style/);
  });

  it('rejects flag without value', () => {
    expect(() => parseImagineFlags('a fox --seed')).toThrow(/has no value/);
  });

  it('rejects repeated flag', () => {
    expect(() => parseImagineFlags('a fox --seed 1 --seed 2')).toThrow(/given twice/);
  });
});

describe('parseMentionText', () => {
  it('mode word picks the mode', () => {
    expect(parseMentionText('<@U0IRISBOT> code')).toEqual({ command: 'describe', mode: 'code' });
  });

  it('other text is the question', () => {
    expect(parseMentionText('<@U0IRISBOT> what is this &amp; why?')).toEqual({
      command: 'describe',
      question: 'what is this & why?',
    });
  });

  it('imagine keyword asks for an image', () => {
    expect(parseMentionText('<@U0IRISBOT> imagine a fox --seed 3')).toEqual({
      command: 'imagine',
      options: { prompt: 'a fox', seed: '3' },
    });
  });
});
