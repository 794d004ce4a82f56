import { describe, expect, it } from 'vitest';
import { type MessageSink, StreamingReply } from '../../src/stream/StreamingReply.js';
import { UpdatePacer } from '../../src/stream/UpdatePacer.js';

class CountingSink implements MessageSink<number> {
  sends = 0;
  edits = 0;
  messages: string[] = [];

  async send(text: string): Promise<number> {
    this.sends++;
    this.messages.push(text);
    return this.messages.length - 1;
  }

  async edit(ref: number, text: string): Promise<void> {
    this.edits++;
    this.messages[ref] = text;
  }
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('UpdatePacer', () => {
  it('lets the first message of each reply through', async () => {
    // One update per 100 s: after the first token nothing else gets through until finish.
    const pacer = new UpdatePacer(0.01);
    await pacer.wait();
    const sinks = Array.from({ length: 5 }, () => new CountingSink());
    const replies = sinks.map(
      (sink) => new StreamingReply(sink, { intervalMs: 1, maxLength: 2000, beforeUpdate: pacer.wait }),
    );
    for (const reply of replies) reply.append('first words');
    await tick(30);
    expect(sinks.map((sink) => sink.sends)).toEqual([1, 1, 1, 1, 1]);

    for (const reply of replies) reply.append(' and more');
    await tick(30);
    expect(sinks.reduce((total, sink) => total + sink.edits, 0)).toBe(0);

    pacer.close();
    await Promise.all(replies.map((reply) => reply.finish()));
    expect(sinks.map((sink) => sink.messages[0])).toEqual(Array(5).fill('first words and more'));
  });

  it('serves waiting updates in arrival order', async () => {
    const pacer = new UpdatePacer(50);
    await Promise.all(Array.from({ length: 50 }, () => pacer.wait()));
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((caller) => pacer.wait().then(() => order.push(caller))));
    expect(order).toEqual([1, 2, 3]);
    pacer.close();
  });

  it('carries the latest text after a wait', async () => {
    const pacer = new UpdatePacer(20);
    // Empty the bucket so the next update waits about 50 ms.
    while (await Promise.race([pacer.wait().then(() => true), tick(5).then(() => false)])) {}
    const sink = new CountingSink();
    const reply = new StreamingReply(sink, { intervalMs: 1, maxLength: 2000, beforeUpdate: pacer.wait });
    reply.append('a');
    await tick(5);
    reply.append('b');
    reply.append('c');
    await reply.finish();
    expect(sink.messages).toEqual(['abc']);
    expect(sink.edits).toBeLessThanOrEqual(2);
    pacer.close();
  });
});
