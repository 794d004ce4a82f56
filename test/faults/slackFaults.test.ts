import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILES_READ_MESSAGE } from '../../adapters/slack/slackFiles.js';
import { DEFAULT_ANSWER } from '../servers/ollama.js';
import { CHANNEL, type Harness, readFixture, SIGNING_SECRET, startHarness, USER } from '../slack/harness.js';
import { eventCallback, mentionEvent, slashCommand } from '../slack/localSlack/payloads.js';
import { postSigned } from '../slack/localSlack/signedRequests.js';
import type { LocalMessage } from '../slack/localSlack/state.js';
import { type RejectionWatch, watchRejections } from './rejections.js';

// HTTP mode: the receiver checks signatures and sees Slack's retry headers.
describe('Slack platform faults', () => {
  let harness: Harness;
  let watch: RejectionWatch;

  beforeAll(async () => {
    watch = watchRejections();
    harness = await startHarness('http');
  });
  afterAll(async () => {
    await harness?.close();
    watch?.stop();
    expect(watch.rejections).toEqual([]);
  });

  async function mentionWithImage(name = 'waterview.jpg'): Promise<LocalMessage> {
    const { workspace } = harness.slack;
    const file = workspace.addFile({
      name,
      mimetype: 'image/jpeg',
      bytes: await readFixture(name),
      user: USER,
    });
    return workspace.addUserMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${workspace.ids.botUserId}>`,
      files: [file],
    });
  }

  /** Checks nothing is left queued or running for the test user. */
  function expectQueueFree(): void {
    expect(
      harness.jobSystem.queue.counts({
        platform: 'slack',
        guildId: harness.slack.workspace.ids.teamId,
        userId: USER,
      }),
    ).toEqual({ guildQueued: 0, userQueued: 0, userRunning: 0 });
  }

  /** Mentions the bot with an image and checks the full answer arrives: the bot keeps serving. */
  async function expectNextMentionWorks(): Promise<void> {
    const { workspace } = harness.slack;
    const message = await mentionWithImage();
    await harness.deliver('events_api', eventCallback(workspace, mentionEvent(workspace, message)));
    await harness.adapter.idle();
    expect(workspace.thread(CHANNEL, message.ts).at(-1)?.text).toBe(DEFAULT_ANSWER);
    expectQueueFree();
  }

  it('ratelimited chat.update slows updates', async () => {
    const { workspace } = harness.slack;
    harness.ollama.scenario = { tokenDelayMs: 40 };
    // At most 2 updates a second: the 100 ms edit interval would otherwise send about 10.
    workspace.rateLimits.set('chat.update', { maxCalls: 2, windowMs: 1_000, retryAfterSeconds: 1 });
    try {
      const message = await mentionWithImage();
      await harness.deliver('events_api', eventCallback(workspace, mentionEvent(workspace, message)));
      await harness.adapter.idle();
      const reply = workspace.thread(CHANNEL, message.ts).at(-1);
      expect(reply?.text).toBe(DEFAULT_ANSWER);
      const updates = workspace.calls.filter((call) => call.method === 'chat.update');
      const limited = updates.filter((call) => call.error === 'ratelimited');
      expect(limited.length).toBeGreaterThan(0);
      // The client waits out Retry-After and the reply coalesces text meanwhile: no call per interval.
      expect(limited.length).toBeLessThan(4);
      const logged = harness.logs.find((line) => line.msg === 'image described' && line.channel === CHANNEL);
      expect(logged).toMatchObject({ user: USER, guild: workspace.ids.teamId });
      process.stdout.write(
        `faults figures: Slack ratelimited: ${updates.length} chat.update calls, ${limited.length} ratelimited\n`,
      );
    } finally {
      workspace.rateLimits.delete('chat.update');
      harness.ollama.scenario = { tokenDelayMs: 5 };
    }
    expectQueueFree();
    await expectNextMentionWorks();
  });

  it('HTML file download asks for files:read', async () => {
    const { workspace } = harness.slack;
    workspace.scopes.delete('files:read');
    try {
      const before = harness.ollama.chats.length;
      const message = await mentionWithImage();
      await harness.deliver('events_api', eventCallback(workspace, mentionEvent(workspace, message)));
      await harness.adapter.idle();
      expect(harness.ollama.chats.length).toBe(before);
      expect(FILES_READ_MESSAGE).toContain('files:read');
      expect(workspace.thread(CHANNEL, message.ts).at(-1)?.text).toBe(FILES_READ_MESSAGE);
      const logged = harness.logs.filter((line) => line.code === 'DOWNLOAD_NOT_AN_IMAGE').at(-1);
      expect(logged).toMatchObject({ level: 40, guild: workspace.ids.teamId, channel: CHANNEL, user: USER });
      expect(logged?.job).toBeTypeOf('string');
    } finally {
      workspace.scopes.add('files:read');
    }
    expectQueueFree();
    await expectNextMentionWorks();
  });

  it('event delivered 3 times is answered once', async () => {
    const { workspace } = harness.slack;
    const before = harness.ollama.chats.length;
    const duplicatesBefore = harness.logs.filter((line) => line.msg === 'duplicate event ignored').length;
    const message = await mentionWithImage();
    const payload = eventCallback(workspace, mentionEvent(workspace, message));
    const deliveries = [
      await harness.deliver('events_api', payload),
      await harness.deliver('events_api', payload, { retryNum: 1 }),
      await harness.deliver('events_api', payload, { retryNum: 2 }),
    ];
    for (const delivery of deliveries) expect(delivery.status).toBe(200);
    await harness.adapter.idle();
    expect(harness.ollama.chats.length - before).toBe(1);
    const replies = workspace.thread(CHANNEL, message.ts).filter((reply) => reply.ts !== message.ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toBe(DEFAULT_ANSWER);
    const duplicates = harness.logs.filter((line) => line.msg === 'duplicate event ignored');
    expect(duplicates.length - duplicatesBefore).toBe(2);
    expectQueueFree();
  });

  const rejectedCases = [
    { name: 'bad signature', options: { wrongSecret: 'not-the-signing-secret' } },
    { name: 'stale timestamp', options: { timestampOffsetSeconds: -6 * 60 } },
  ];
  for (const { name, options } of rejectedCases) {
    it(`${name} is rejected with 401`, async () => {
      const { workspace } = harness.slack;
      const callsBefore = workspace.calls.length;
      const chatsBefore = harness.ollama.chats.length;
      const message = await mentionWithImage();
      const result = await postSigned(
        harness.receiverUrl as string,
        'events_api',
        eventCallback(workspace, mentionEvent(workspace, message)),
        { signingSecret: SIGNING_SECRET, ...options },
      );
      expect(result.status).toBe(401);
      await harness.adapter.idle();
      expect(workspace.calls.length).toBe(callsBefore);
      expect(harness.ollama.chats.length).toBe(chatsBefore);
      expect(JSON.stringify(harness.logs)).not.toContain(SIGNING_SECRET);
      await expectNextMentionWorks();
    });
  }

  it('HF 503 twice shows warm-up, then the image', async () => {
    const { workspace } = harness.slack;
    const before = harness.huggingFace.generations.length;
    harness.huggingFace.queue.push(
      { kind: 'loading', estimatedTime: 1 },
      { kind: 'loading', estimatedTime: 1 },
    );
    await harness.deliver(
      'slash_commands',
      slashCommand(workspace, {
        command: '/imagine',
        text: 'a lighthouse at dusk',
        channel: CHANNEL,
        user: USER,
        responseUrl: harness.slack.responseUrl(),
      }),
    );
    await harness.adapter.idle();
    expect(harness.huggingFace.generations.length - before).toBe(3);
    const status = workspace.messages.find((message) =>
      message.history.some((text) => text.includes('warming up')),
    );
    const notice = status?.history.find((text) => text.includes('warming up'));
    expect(notice).toMatch(/The model is warming up; trying again in about \d+ s/);
    const uploads = workspace.messages.filter((message) => message.files !== undefined);
    expect(uploads.at(-1)?.thread_ts).toBe(status?.thread_ts);
    expectQueueFree();
  });
});
