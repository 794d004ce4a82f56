import { describe, expect, it } from 'vitest';
import { markdownToMrkdwn } from '../../adapters/slack/markdownToMrkdwn.js';

describe('markdownToMrkdwn', () => {
  it.each([
    ['**bold** and __also bold__', '*bold* and *also bold*'],
    ['*italic* and 2 * 3 * 4', '_italic_ and 2 * 3 * 4'],
    ['~~gone~~', '~gone~'],
    ['see [the docs](https://example.com/a?b=1&c=2)', 'see <https://example.com/a?b=1&amp;c=2|the docs>'],
    ['## A heading', '*A heading*'],
    ['- first\n* second\n  + nested', '• first\n• second\n  • nested'],
    ['a < b & c > d', 'a &lt; b &amp; c &gt; d'],
    ['use `**not bold**` here', 'use `**not bold**` here'],
    ['plain sentence.', 'plain sentence.'],
  ])('converts %j', (markdown, mrkdwn) => {
    expect(markdownToMrkdwn(markdown)).toBe(mrkdwn);
  });

  it('keeps code blocks and drops the language tag', () => {
    const markdown = 'Code:\n```typescript\nconst a = **b** < c;\n- not a bullet\n```\n**done**';
    expect(markdownToMrkdwn(markdown)).toBe(
      'Code:\n```\nconst a = **b** &lt; c;\n- not a bullet\n```\n*done*',
    );
  });
});
