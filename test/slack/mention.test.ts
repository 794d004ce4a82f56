import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ANSWER } from '../servers/ollama.js';
import { recordFigure } from './figures.js';
import { BOT_TOKEN, CHANNEL, type Harness, type Mode, readFixture, startHarness, USER } from './harness.js';
import { directMessageEvent, eventCallback, mentionEvent } from './localSlack/payloads.js';

describe.each<Mode>(['socket', 'http'])('mentions and DMs (%s mode)', (mode) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(mode);
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function postMention(text: string, fileName?: string, threadTs?: string) {
    const { workspace } = harness.slack;
    const files = fileName
      ? [
          workspace.addFile({
            name: fileName,
            mimetype: 'image/jpeg',
            bytes: await readFixture(fileName),
            user: USER,
          }),
        ]
      : undefined;
    return workspace.addUserMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${workspace.ids.botUserId}> ${text}`,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(files ? { files } : {}),
    });
  }

  it('mention with image streams description in thread', async () => {
    const { workspace } = harness.slack;
    const message = await postMention('', 'waterview.jpg');
    const delivery = await harness.deliver(
      'events_api',
      eventCallback(workspace, mentionEvent(workspace, message)),
    );
    expect(delivery.acked).toBe(true);
    await harness.adapter.idle();

    const replies = workspace.thread(CHANNEL, message.ts).filter((reply) => reply.ts !== message.ts);
    expect(replies).toHaveLength(1);
    const reply = replies[0];
    expect(reply?.thread_ts).toBe(message.ts);
    expect(reply?.text).toBe(DEFAULT_ANSWER);
    expect(reply?.updates).toBeGreaterThan(0);
    expect(reply?.history.length).toBeGreaterThan(1);

    const chat = harness.ollama.chats.at(-1);
    expect(chat?.messages[0]?.imageMagic).toEqual(['jpeg']);
    recordFigure(`${mode}: event-to-ack ms (mention)`, delivery.ackMs);
    recordFigure(`${mode}: chat.update calls per streamed message`, reply?.updates);
  });

  it('download sends bot token as bearer', async () => {
    const download = harness.logs.find((line) => line.msg === 'image described');
    expect(download).toBeDefined();
    expect(JSON.stringify(harness.logs)).not.toContain(BOT_TOKEN);
  });

  it('mode word after mention picks the mode', async () => {
    const { workspace } = harness.slack;
    const before = harness.ollama.chats.length;
    const message = await postMention('text', 'waterview.jpg');
    await harness.deliver('events_api', eventCallback(workspace, mentionEvent(workspace, message)));
    await harness.adapter.idle();
    const prompt = harness.ollama.chats[before]?.messages[0]?.content ?? '';
    expect(prompt).toMatch(/Transcribe every piece of text/);
  });

  it('question after mention is asked', async () => {
    const { workspace } = harness.slack;
    const before = harness.ollama.chats.length;
    const message = await postMention('how many boats are there?', 'waterview.jpg');
    await harness.deliver('events_api', eventCallback(workspace, mentionEvent(workspace, message)));
    await harness.adapter.idle();
    expect(harness.ollama.chats[before]?.messages[0]?.content).toContain('how many boats are there?');
  });

  it('retried event is answered once', async () => {
    const { workspace } = harness.slack;
    const before = harness.ollama.chats.length;
    const message = await postMention('', 'waterview.jpg');
    const payload = eventCallback(workspace, mentionEvent(workspace, message));
    const first = await harness.deliver('events_api', payload);
    const retry = await harness.deliver('events_api', payload, { retryNum: 1 });
    expect(first.acked).toBe(true);
    expect(retry.acked).toBe(true);
    await harness.adapter.idle();
    expect(harness.ollama.chats.length - before).toBe(1);
    expect(workspace.thread(CHANNEL, message.ts)).toHaveLength(2);
    expect(harness.logs.some((line) => line.msg === 'duplicate event ignored')).toBe(true);
  });

  it('event first seen on a retry is answered', async () => {
    const { workspace } = harness.slack;
    const message = await postMention('', 'waterview.jpg');
    await harness.deliver('events_api', eventCallback(workspace, mentionEvent(workspace, message)), {
      retryNum: 2,
    });
    await harness.adapter.idle();
    expect(workspace.thread(CHANNEL, message.ts)).toHaveLength(2);
  });

  it('direct message with image is described', async () => {
    const { workspace } = harness.slack;
    const file = workspace.addFile({
      name: 'waterview.jpg',
      mimetype: 'image/jpeg',
      bytes: await readFixture('waterview.jpg'),
      user: USER,
    });
    const message = workspace.addUserMessage({ channel: 'D0DIRECT01', user: USER, text: '', files: [file] });
    const delivery = await harness.deliver(
      'events_api',
      eventCallback(workspace, directMessageEvent(message)),
    );
    expect(delivery.acked).toBe(true);
    await harness.adapter.idle();
    const replies = workspace.thread('D0DIRECT01', message.ts);
    expect(replies.at(-1)?.text).toBe(DEFAULT_ANSWER);
    expect(replies.at(-1)?.thread_ts).toBe(message.ts);
  });

  it('follow-up in thread uses image and history', async () => {
    const { workspace } = harness.slack;
    const root = await postMention('', 'waterview.jpg');
    await harness.deliver('events_api', eventCallback(workspace, mentionEvent(workspace, root)));
    await harness.adapter.idle();

    const before = harness.ollama.chats.length;
    const followUp = await postMention('is the water calm?', undefined, root.ts);
    await harness.deliver('events_api', eventCallback(workspace, mentionEvent(workspace, followUp)));
    await harness.adapter.idle();

    const chat = harness.ollama.chats[before];
    expect(chat?.messages.map((turn) => turn.role)).toEqual(['user', 'assistant', 'user']);
    expect(chat?.messages[0]?.imageMagic).toEqual(['jpeg']);
    expect(chat?.messages[1]?.content).toBe(DEFAULT_ANSWER);
    expect(chat?.messages[2]?.content).toContain('is the water calm?');
    expect(workspace.thread(CHANNEL, root.ts).at(-1)?.text).toBe(DEFAULT_ANSWER);
  });
});
