import { describe, expect, it } from 'vitest';
import { imagineLimits, parseImagineOptions, parseSize } from '../../commands/imagine/options.js';
import { withTrigger } from '../../commands/imagine/prompt.js';
import { IrisError } from '../../src/errors/IrisError.js';

function rejection(raw: Parameters<typeof parseImagineOptions>[0]): IrisError {
  try {
    parseImagineOptions(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(IrisError);
    return error as IrisError;
  }
  throw new Error('expected a rejection');
}

describe('imagine options', () => {
  it('fills in defaults and draws a seed', () => {
    const options = parseImagineOptions({ prompt: 'a red fox' });
    expect(options).toMatchObject({
      prompt: 'a red fox',
      size: '512x512',
      steps: 30,
      guidance: 7.5,
      count: 1,
      seedChosen: false,
    });
    expect(Number.isInteger(options.seed)).toBe(true);
    expect(options.seed).toBeGreaterThanOrEqual(0);
    expect(options.seed).toBeLessThanOrEqual(imagineLimits.seed.max);
  });

  it('parses text values as the CLI and Slack give them', () => {
    expect(
      parseImagineOptions({
        prompt: 'fox',
        size: '768×512',
        steps: '12',
        guidance: '3.5',
        count: '4',
        seed: '7',
      }),
    ).toMatchObject({
      size: '768x512',
      steps: 12,
      guidance: 3.5,
      count: 4,
      seed: 7,
      seedChosen: true,
    });
  });

  it.each([
    [{ prompt: '' }, 'prompt', /empty/],
    [{ prompt: '   \n\t ' }, 'prompt', /empty/],
    [{ prompt: 'x'.repeat(5000) }, 'prompt', /5000 characters long; the limit is 1000/],
    [{ prompt: 'fox', size: '1024x1024' }, 'size', /one of 512x512, 512x768, 768x512/],
    [{ prompt: 'fox', steps: 9 }, 'steps', /from 10 to 50; got 9/],
    [{ prompt: 'fox', steps: '12.5' }, 'steps', /whole number/],
    [{ prompt: 'fox', guidance: 16 }, 'guidance', /from 1 to 15/],
    [{ prompt: 'fox', count: 5 }, 'count', /from 1 to 4/],
    [{ prompt: 'fox', seed: -1 }, 'seed', /from 0 to 4294967295/],
    [{ prompt: 'fox', seed: 'abc' }, 'seed', /whole number/],
  ])('rejects %o naming %s', (raw, option, message) => {
    const error = rejection(raw);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.details.option).toBe(option);
    expect(error.userMessage).toMatch(message);
  });

  it('strips control characters from prompts', () => {
    expect(parseImagineOptions({ prompt: 'a\u0007 fox\u200b in\nsnow' }).prompt).toBe('a fox in snow');
  });

  it('parses sizes', () => {
    expect(parseSize('512x768')).toEqual({ width: 512, height: 768 });
  });
});

describe('withTrigger', () => {
  it('adds the trigger phrase once', () => {
    expect(withTrigger('a fox', 'mdjrny-v4 style')).toBe('a fox, mdjrny-v4 style');
    expect(withTrigger('MDJRNY-V4 STYLE a fox', 'mdjrny-v4 style')).toBe('MDJRNY-V4 STYLE a fox');
  });

  it('does nothing with an empty trigger', () => {
    expect(withTrigger('a fox', '')).toBe('a fox');
  });
});
