import { ChannelType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { type Harness, type LogLine, startHarness } from '../discord/harness.js';
import type { InteractionRecord } from '../discord/server/state.js';
import { runSlashCommand } from '../discord/server/users.js';
import {
  anchorOf,
  describeWaterview,
  expectNextDescribeWorks,
  expectNextImagineWorks,
  expectSettled,
  INFO,
  imagineIn,
  WARN,
} from './discordChecks.js';
import { type RejectionWatch, watchRejections } from './rejections.js';

// Enough tokens to stream for about a second and pass Discord's 2000-character limit once.
const LONG_ANSWER = Array.from({ length: 60 }, (_, index) => `Sentence ${index + 1} about the pier. `);

const THREAD_ROUTE = /^\/channels\/\d+\/messages\/\d+\/threads$/;
const CHANNEL_POST = /^\/channels\/\d+\/messages$/;

describe('Discord platform faults', () => {
  let harness: Harness;
  let watch: RejectionWatch;
  let dmChannel: string;

  beforeAll(async () => {
    watch = watchRejections();
    harness = await startHarness({
      prepare(discord) {
        dmChannel = discord.state.addChannel(ChannelType.DM).id;
      },
    });
  });
  afterAll(async () => {
    await harness?.close();
    watch?.stop();
    expect(watch.rejections).toEqual([]);
  });

  /** Log lines of this interaction that carry a Discord error code. */
  const discordLogs = (interaction: InteractionRecord, code: number) =>
    harness.logs.filter((line) => line.interaction === interaction.id && line.discordCode === code);

  /** Checks the first log line of `code`; a job id exists only once the interaction was acknowledged. */
  function expectDiscordLog(
    interaction: InteractionRecord,
    code: number,
    action: string,
    hasJob = true,
  ): void {
    const lines = discordLogs(interaction, code);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]?.level).toBe(WARN);
    expect(lines[0]?.action).toBe(action);
    expect(lines[0]?.user).toBe(harness.user.id);
    if (hasJob) expect(lines[0]?.job).toBeTypeOf('string');
  }

  it('429 on edits: no storm, text complete', async () => {
    harness.ollama.scenario = { tokens: LONG_ANSWER, tokenDelayMs: 15 };
    harness.discord.faults.rateLimits.push({
      method: 'PATCH',
      path: /^\/channels\/\d+\/messages\/\d+$/,
      limit: 1,
      windowMs: 400,
    });
    try {
      const interaction = await describeWaterview(harness);
      const ended = await expectSettled(harness, interaction);
      expect(ended.msg).toBe('job done');
      const thread = interaction.originalMessageId ?? '';
      const edits = harness.discord.calls.filter(
        (call) => call.method === 'PATCH' && call.path.startsWith(`/channels/${thread}/`),
      );
      const limited = edits.filter((call) => call.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      // discord.js waits out a bucket once it has seen its 429. A storm would be a refusal per 100 ms
      // edit interval, about 15 over this answer.
      expect(limited.length).toBeLessThan(8);
      const text = harness.discord
        .channelMessages(thread)
        .map((message) => message.content)
        .join(' ');
      for (const sentence of LONG_ANSWER) expect(text).toContain(sentence.trim());
      process.stdout.write(
        `faults figures: 429 on edits: ${edits.length} PATCH calls, ${limited.length} answered 429\n`,
      );
    } finally {
      harness.discord.faults.rateLimits.length = 0;
      harness.ollama.scenario = { tokenDelayMs: 5 };
    }
  });

  it('50013 on thread creation replies in place', async () => {
    harness.discord.faults.fail({ method: 'POST', path: THREAD_ROUTE, code: 50013 });
    const interaction = await describeWaterview(harness);
    const ended = await expectSettled(harness, interaction);
    expect(ended.msg).toBe('job done');
    expectDiscordLog(interaction, 50013, 'start thread');
    expect(harness.discord.state.channels.has(interaction.originalMessageId ?? '')).toBe(false);
    const messages = harness.discord.channelMessages(harness.channelId);
    expect(messages.at(-2)?.content).toContain('could not start a thread here');
    expect(messages.at(-1)?.content).toContain('A wooden pier');
    await expectNextDescribeWorks(harness);
  });

  it('50001 on send in thread replies in place', async () => {
    harness.discord.faults.fail({ method: 'POST', path: CHANNEL_POST, code: 50001 });
    const interaction = await describeWaterview(harness);
    const ended = await expectSettled(harness, interaction);
    expect(ended.msg).toBe('job done');
    expect(discordLogs(interaction, 50001).length).toBeGreaterThan(0);
    expect(discordLogs(interaction, 50001)[0]?.level).toBe(WARN);
    const messages = harness.discord.channelMessages(harness.channelId);
    expect(messages.at(-2)?.content).toContain('locked, archived or deleted');
    expect(messages.at(-1)?.content).toContain('A wooden pier');
    await expectNextDescribeWorks(harness);
  });

  it('50013 on the image post names the permission', async () => {
    harness.discord.faults.fail({ method: 'POST', path: CHANNEL_POST, code: 50013, times: 3 });
    harness.discord.faults.fail({ method: 'POST', path: /^\/webhooks\/\d+\/[^/]+$/, code: 50013, times: 3 });
    const interaction = imagineIn(harness, 'a red kite over a beach');
    const ended = await expectSettled(harness, interaction);
    harness.discord.faults.faults.length = 0;
    expect(ended.msg).toMatch(/^job failed/);
    expect(ended.discordCode).toBe(50013);
    expect(anchorOf(harness, interaction)).toContain('lacks a permission');
    expect(anchorOf(harness, interaction)).toContain('Attach Files');
    await expectNextImagineWorks(harness);
  });

  for (const code of [10062, 40060]) {
    it(`${code} on acknowledgement: logged once`, async () => {
      harness.discord.faults.fail({ method: 'POST', path: /\/callback$/, code });
      const before = harness.discord.calls.length;
      const messagesBefore = harness.discord.state.messages.size;
      const interaction = await describeWaterview(harness);
      await harness.waitForLog((line) => line.interaction === interaction.id && line.discordCode === code);
      await harness.jobs.queue.idle();
      // Let any late reply reach the server before counting.
      await harness.discord.waitForCall(() => false, 300).catch(() => undefined);
      expect(discordLogs(interaction, code)).toHaveLength(1);
      expectDiscordLog(interaction, code, 'acknowledge interaction', false);
      const replies = harness.discord.calls
        .slice(before)
        .filter((call) => call.path.startsWith('/webhooks/') || CHANNEL_POST.test(call.path));
      expect(replies).toEqual([]);
      expect(harness.discord.state.messages.size).toBe(messagesBefore);
      expect(JSON.stringify(harness.logs)).not.toContain(interaction.token);
      await expectNextDescribeWorks(harness);
    });
  }

  it('40005 on upload tells the user why', async () => {
    harness.discord.faults.fail({ method: 'POST', path: CHANNEL_POST, code: 40005 });
    const interaction = imagineIn(harness, 'a red kite over a beach');
    const ended = await expectSettled(harness, interaction);
    expect(ended.msg).toMatch(/^job failed/);
    expect(ended.discordCode).toBe(40005);
    expect(anchorOf(harness, interaction)).toContain('larger than this channel accepts');
    await expectNextImagineWorks(harness);
  });

  it('upload over the limit is recompressed', async () => {
    // Random pixels make a 512×512 PNG of about 770 KiB; the channel accepts 400 KiB.
    const limit = 400 * 1024;
    harness.hf.queue.push({ kind: 'noise' });
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user, attachmentSizeLimit: limit },
      'imagine',
      { prompt: 'static on an old television' },
    );
    const ended = await expectSettled(harness, interaction);
    expect(ended.msg).toBe('job done');
    const upload = harness.discord.calls.find(
      (call) => call.files.length > 0 && call.at >= interaction.createdAt,
    );
    expect(upload?.files[0]?.contentType).toBe('image/jpeg');
    expect(upload?.files[0]?.bytes).toBeLessThanOrEqual(limit);
    expect(String(upload?.body.content)).toContain('recompressed as JPEG to fit the upload limit');
  });

  it('gateway drop mid-stream: job completes', async () => {
    harness.ollama.scenario = { tokens: LONG_ANSWER.slice(0, 30), tokenDelayMs: 20 };
    const identifiesBefore = harness.discord.gateway.received.filter((payload) => payload.op === 2).length;
    const interaction = await describeWaterview(harness);
    await harness.discord.waitForCall((call) =>
      call.path.endsWith(`/messages/${interaction.originalMessageId}/threads`),
    );
    // The local gateway keeps its sockets private; closing them is what a network drop does.
    const sessions = (harness.discord.gateway as unknown as { sessions: Set<{ socket: WebSocket }> })
      .sessions;
    for (const session of sessions) session.socket.terminate();

    const ended = await expectSettled(harness, interaction);
    harness.ollama.scenario = { tokenDelayMs: 5 };
    expect(ended.msg).toBe('job done');
    const text = harness.discord.channelMessages(interaction.originalMessageId ?? '').at(-1)?.content;
    expect(text).toContain('Sentence 30 about the pier.');
    // discord.js reconnects. The local gateway replies to RESUME with a new session, so it identifies again.
    await expect
      .poll(() => harness.discord.gateway.received.filter((payload) => payload.op === 2).length, {
        timeout: 10_000,
      })
      .toBeGreaterThan(identifiesBefore);
    await harness.discord.gateway.ready;
    await expect.poll(() => sessions.size, { timeout: 10_000 }).toBeGreaterThan(0);
    await expectNextDescribeWorks(harness);
  });

  // discord.js emits ShardDisconnect only when it gives up. A drop it recovers from emits the shard's
  // close event and ShardReconnecting, then ShardReady or ShardResume: the adapter logs those.
  it('gateway drop is logged', async () => {
    const logged = harness.logs.filter((line) => /gateway/i.test(line.msg) && line.level === WARN);
    expect(logged.length).toBeGreaterThan(0);
    // The drop of the test above: the local gateway replied to RESUME with an invalid session.
    const identifiedAgain = harness.logs.find((line) => line.msg === 'gateway connection recovered');
    expect(identifiedAgain?.how).toBe('new session');

    // A second drop, which the bot resumes. The gateway holds back HELLO, so the bot stays
    // reconnecting until release.
    const earlier = new Set(harness.logs);
    const isNew = (line: LogLine) => !earlier.has(line);
    harness.discord.gateway.resumable = true;
    harness.discord.gateway.hold();
    harness.discord.gateway.dropConnections();
    const dropped = await harness.waitForLog(
      (line) => isNew(line) && line.msg === 'gateway connection dropped; discord.js is reconnecting',
    );
    expect(dropped.level).toBe(WARN);
    expect(dropped.shard).toBe(0);
    expect(dropped.code).toBe(1006);

    const during = await harness.core.readiness.run();
    expect(during.failing).toContain('discord gateway');
    const gatewayCheck = during.checks.find((check) => check.name === 'discord gateway');
    expect(gatewayCheck?.detail).toMatch(/^gateway reconnecting: shard 0/);

    harness.discord.gateway.release();
    const recovered = await harness.waitForLog(
      (line) => isNew(line) && line.msg === 'gateway connection recovered',
    );
    expect(recovered.level).toBe(INFO);
    expect(recovered.shard).toBe(0);
    expect(recovered.code).toBe(1006);
    expect(recovered.how).toBe('resumed');
    const after = await harness.core.readiness.run();
    expect(after.failing).not.toContain('discord gateway');

    const warnings = harness.logs.filter((line) => isNew(line) && line.level >= WARN);
    expect(warnings.map((line) => line.msg)).toEqual([
      'gateway connection dropped; discord.js is reconnecting',
    ]);
    harness.discord.gateway.resumable = false;
    await expectNextDescribeWorks(harness);
  });

  it('expired token: posted as a normal message', async () => {
    // A 1.5 s token lifetime replaces Discord's 15 minutes, and the model's first token comes after it.
    harness.discord.settings.tokenTtlMs = 1_500;
    await harness.restart({ interactionTtlMs: 1_500 });
    harness.ollama.scenario = { firstTokenDelayMs: 1_700, tokenDelayMs: 5 };
    try {
      const interaction = await describeWaterview(harness, { channelId: dmChannel });
      const ended = await expectSettled(harness, interaction);
      expect(ended.msg).toBe('job done');
      const messages = harness.discord.channelMessages(dmChannel);
      expect(messages.at(-1)?.content).toContain('A wooden pier');
      const viaChannel = harness.discord.calls.filter(
        (call) =>
          call.method === 'POST' && call.path === `/channels/${dmChannel}/messages` && call.status === 200,
      );
      expect(viaChannel.length).toBeGreaterThan(0);
      const rejected = harness.discord.calls.filter(
        (call) => call.path.startsWith('/webhooks/') && call.code === 50027,
      );
      expect(rejected).toEqual([]);
    } finally {
      harness.ollama.scenario = { tokenDelayMs: 5 };
      harness.discord.settings.tokenTtlMs = 15 * 60_000;
    }
  });
});
