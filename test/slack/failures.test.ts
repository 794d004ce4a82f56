import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILES_READ_MESSAGE } from '../../adapters/slack/slackFiles.js';
import { DEFAULT_ANSWER } from '../servers/ollama.js';
import { recordFigure } from './figures.js';
import { CHANNEL, type Harness, type Mode, readFixture, startHarness, USER } from './harness.js';
import { eventCallback, mentionEvent, messageShortcut, slashCommand } from './localSlack/payloads.js';

describe.each<Mode>(['socket', 'http'])('shortcut and failures (%s mode)', (mode) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(mode);
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function mentionWithImage(name = 'waterview.jpg') {
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

  it('Describe image shortcut replies in thread', async () => {
    const { workspace } = harness.slack;
    const file = workspace.addFile({
      name: 'waterview.jpg',
      mimetype: 'image/jpeg',
      bytes: await readFixture('waterview.jpg'),
      user: USER,
    });
    const message = workspace.addUserMessage({
      channel: CHANNEL,
      user: USER,
      text: 'look at this',
      files: [file],
    });
    const delivery = await harness.deliver(
      'interactive',
      messageShortcut(workspace, {
        callbackId: 'describe_image',
        message,
        user: USER,
        responseUrl: harness.slack.responseUrl(),
      }),
    );
    expect(delivery.acked).toBe(true);
    await harness.adapter.idle();
    const reply = workspace.thread(CHANNEL, message.ts).at(-1);
    expect(reply?.thread_ts).toBe(message.ts);
    expect(reply?.text).toBe(DEFAULT_ANSWER);
  });

  it('shortcut on message without image', async () => {
    const { workspace } = harness.slack;
    const message = workspace.addUserMessage({ channel: CHANNEL, user: USER, text: 'no picture here' });
    await harness.deliver(
      'interactive',
      messageShortcut(workspace, {
        callbackId: 'describe_image',
        message,
        user: USER,
        responseUrl: harness.slack.responseUrl(),
      }),
    );
    await harness.adapter.idle();
    expect(workspace.ephemerals.at(-1)?.text).toMatch(/no image to describe/);
  });

  it('HTML login page is reported, model not called', async () => {
    const { workspace } = harness.slack;
    workspace.scopes.delete('files:read');
    try {
      const before = harness.ollama.chats.length;
      const message = await mentionWithImage();
      await harness.deliver('events_api', eventCallback(workspace, mentionEvent(workspace, message)));
      await harness.adapter.idle();
      expect(harness.ollama.chats.length).toBe(before);
      expect(workspace.thread(CHANNEL, message.ts).at(-1)?.text).toBe(FILES_READ_MESSAGE);
      const logged = harness.logs.find((line) => line.msg === 'image could not be read');
      expect(logged).toMatchObject({
        code: 'DOWNLOAD_NOT_AN_IMAGE',
        guild: workspace.ids.teamId,
        channel: CHANNEL,
        user: USER,
      });
      expect(logged?.job).toBeTypeOf('string');
    } finally {
      workspace.scopes.add('files:read');
    }
  });

  it('corrupt image gets a clear reply', async () => {
    const { workspace } = harness.slack;
    const before = harness.ollama.chats.length;
    const message = await mentionWithImage('corrupt-header.jpg');
    await harness.deliver('events_api', eventCallback(workspace, mentionEvent(workspace, message)));
    await harness.adapter.idle();
    expect(harness.ollama.chats.length).toBe(before);
    expect(workspace.thread(CHANNEL, message.ts).at(-1)?.text).toMatch(/Could not read this image/);
  });

  it('ratelimited chat.update is waited out', async () => {
    const { workspace } = harness.slack;
    harness.ollama.scenario = { tokenDelayMs: 30 };
    workspace.injected.push({ method: 'chat.update', error: 'ratelimited', times: 1, retryAfterSeconds: 1 });
    try {
      const message = await mentionWithImage();
      await harness.deliver('events_api', eventCallback(workspace, mentionEvent(workspace, message)));
      await harness.adapter.idle();
      const limited = workspace.calls.filter(
        (call) => call.method === 'chat.update' && call.error === 'ratelimited',
      );
      expect(limited).toHaveLength(1);
      const limitedAt = limited[0]?.at ?? 0;
      const next = workspace.calls.find((call) => call.method === 'chat.update' && call.at > limitedAt);
      recordFigure(
        `${mode}: ms from ratelimited to next chat.update (Retry-After 1 s)`,
        (next?.at ?? 0) - limitedAt,
      );
      recordFigure(
        `${mode}: chat.update calls per streamed message (30 ms tokens, one 429)`,
        workspace.thread(CHANNEL, message.ts).at(-1)?.updates,
      );
      expect(workspace.thread(CHANNEL, message.ts).at(-1)?.text).toBe(DEFAULT_ANSWER);
      expect(
        await harness.metrics.registry.getSingleMetricAsString('iris_platform_rate_limited_total'),
      ).toMatch(/iris_platform_rate_limited_total\{[^}]*platform="slack"[^}]*route="chat.update"[^}]*\} 1/);
    } finally {
      harness.ollama.scenario = { tokenDelayMs: 5 };
    }
  });

  it('not_in_channel for /imagine answers privately', async () => {
    const { workspace } = harness.slack;
    const responseUrl = harness.slack.responseUrl();
    await harness.deliver(
      'slash_commands',
      slashCommand(workspace, {
        command: '/imagine',
        text: 'a boat',
        channel: 'C0NOTJOINED',
        user: USER,
        responseUrl,
      }),
    );
    await harness.adapter.idle();
    const response = harness.slack.responses.find((entry) => responseUrl.endsWith(`/${entry.id}`));
    expect(response?.body.response_type).toBe('ephemeral');
    expect(String(response?.body.text)).toMatch(/Invite me/);
  });

  it.each(['missing_scope', 'invalid_auth', 'channel_not_found'])(
    '%s on reply is logged with ids',
    async (slackError) => {
      const { workspace } = harness.slack;
      workspace.injected.push({ method: 'chat.postMessage', error: slackError, times: 1 });
      const message = await mentionWithImage();
      await harness.deliver('events_api', eventCallback(workspace, mentionEvent(workspace, message)));
      await harness.adapter.idle();
      const logged = harness.logs.filter((line) => line.slackError === slackError).at(-1);
      expect(logged).toMatchObject({ slackError, guild: workspace.ids.teamId, channel: CHANNEL, user: USER });
      expect(logged?.job).toBeTypeOf('string');
    },
  );

  it('missing_scope on upload is explained in thread', async () => {
    const { workspace } = harness.slack;
    workspace.injected.push({ method: 'files.completeUploadExternal', error: 'missing_scope', times: 1 });
    const message = workspace.addUserMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${workspace.ids.botUserId}> imagine a quiet harbour`,
    });
    await harness.deliver('events_api', eventCallback(workspace, mentionEvent(workspace, message)));
    await harness.adapter.idle();
    expect(workspace.thread(CHANNEL, message.ts).at(-1)?.text).toMatch(/missing a permission/);
    const logged = harness.logs.filter((line) => line.msg === 'job failed').at(-1);
    expect(logged).toMatchObject({
      slackError: 'missing_scope',
      command: 'imagine',
      channel: CHANNEL,
      user: USER,
    });
    expect(await harness.metrics.registry.getSingleMetricAsString('iris_platform_api_errors_total')).toMatch(
      /iris_platform_api_errors_total\{[^}]*platform="slack"[^}]*code="missing_scope"[^}]*\} [1-9]/,
    );
  });
});
