import { describe, expect, it } from 'vitest';
import { type MessageSink, StreamingReply } from '../../src/stream/StreamingReply.js';

/** An in-memory platform: numbered messages, with a configurable delay per call. */
class RecordingSink implements MessageSink<number> {
  messages: string[] = [];
  calls: Array<{ kind: 'send' | 'edit'; index: number; text: string }> = [];
  active = 0;
  maxActive = 0;
  failNext = false;

  constructor(private readonly delayMs = 0) {}

  private async call<T>(work: () => T): Promise<T> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      if (this.failNext) {
        this.failNext = false;
        throw new Error('429 rate limited');
      }
      return work();
    } finally {
      this.active--;
    }
  }

  send(text: string): Promise<number> {
    return this.call(() => {
      this.messages.push(text);
      this.calls.push({ kind: 'send', index: this.messages.length - 1, text });
      return this.messages.length - 1;
    });
  }

  edit(ref: number, text: string): Promise<void> {
    return this.call(() => {
      this.messages[ref] = text;
      this.calls.push({ kind: 'edit', index: ref, text });
    });
  }
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('StreamingReply', () => {
  it('sends the first text at once', async () => {
    const sink = new RecordingSink();
    const reply = new StreamingReply(sink, { intervalMs: 60_000, maxLength: 2000 });
    reply.append('Hello');
    await tick(20);
    expect(sink.messages).toEqual(['Hello']);
    await reply.finish();
  });

  it('coalesces tokens and ends with the complete text', async () => {
    const sink = new RecordingSink(15);
    const reply = new StreamingReply(sink, { intervalMs: 40, maxLength: 2000 });
    const words = Array.from({ length: 200 }, (_, index) => `w${index} `);
    for (const word of words) {
      reply.append(word);
      await tick(1);
    }
    await reply.finish();
    expect(sink.messages).toEqual([words.join('').trimEnd()]);
    expect(sink.maxActive).toBe(1);
    // Far fewer calls than tokens: intermediate states are skipped.
    expect(reply.updates).toBeLessThan(words.length / 4);
    expect(sink.calls.at(-1)?.text).toBe(words.join('').trimEnd());
  });

  it('keeps at most one call in flight while the platform is slow', async () => {
    const sink = new RecordingSink(100);
    const reply = new StreamingReply(sink, { intervalMs: 1, maxLength: 2000 });
    for (let index = 0; index < 50; index++) {
      reply.append(`${index} `);
      await tick(2);
    }
    await reply.finish();
    expect(sink.maxActive).toBe(1);
    expect(sink.messages[0]).toContain('49');
  });

  it('continues in a new message past the limit', async () => {
    const sink = new RecordingSink();
    const reply = new StreamingReply(sink, { intervalMs: 1, maxLength: 100 });
    const sentences = Array.from({ length: 12 }, (_, index) => `Sentence ${index} is here. `).join('');
    reply.append(sentences);
    await reply.finish();
    expect(sink.messages.length).toBeGreaterThan(1);
    for (const message of sink.messages) expect(message.length).toBeLessThanOrEqual(100);
    expect(sink.messages.join(' ').replace(/\s+/g, ' ')).toBe(sentences.trim());
  });

  it('recovers from a failed intermediate update', async () => {
    const sink = new RecordingSink(5);
    const errors: unknown[] = [];
    const reply = new StreamingReply(sink, {
      intervalMs: 1,
      maxLength: 2000,
      onError: (error) => errors.push(error),
    });
    reply.append('first ');
    await tick(20);
    sink.failNext = true;
    reply.append('second ');
    await tick(20);
    reply.append('third');
    await reply.finish();
    expect(errors).toHaveLength(1);
    expect(sink.messages).toEqual(['first second third']);
  });

  it('never sends an empty message', async () => {
    const sink = new RecordingSink();
    const reply = new StreamingReply(sink, { intervalMs: 1, maxLength: 2000 });
    reply.append('   ');
    await reply.finish();
    expect(sink.calls).toEqual([]);
  });

  it('writes a replacement final text', async () => {
    const sink = new RecordingSink();
    const reply = new StreamingReply(sink, { intervalMs: 1, maxLength: 2000 });
    reply.append('partial');
    await reply.finish('partial\n\n*(cut off: the model stopped responding)*');
    expect(sink.messages).toEqual(['partial\n\n*(cut off: the model stopped responding)*']);
  });
});
