import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobActions } from '../../adapters/slack/jobButtons.js';
import { deleteKeysWithPrefix, noRedisReason, redisUrl, uniquePrefix } from '../core/helpers.js';
import { DEFAULT_ANSWER } from '../servers/ollama.js';
import { recordFigure } from './figures.js';
import { ADMIN, CHANNEL, type Harness, OTHER_USER, startHarness, USER } from './harness.js';
import { blockAction } from './localSlack/payloads.js';
import type { LocalMessage } from './localSlack/state.js';
import { mentionWithImage, runCommand, waitFor } from './queueHelpers.js';

const QUIET_TEAM = 'T0QUIET001';
const FLOOD_USERS = ['U0FLOOD001', 'U0FLOOD002', 'U0FLOOD003', 'U0FLOOD004', 'U0FLOOD005'];
const QUIET_USER = 'U0QUIET001';
const PAINTER = 'U0PAINTER1';

function clickButton(harness: Harness, actionId: string, message: LocalMessage, user: string) {
  return harness.deliver(
    'interactive',
    blockAction(harness.slack.workspace, {
      actionId,
      message,
      user,
      responseUrl: harness.slack.responseUrl(),
    }),
  );
}

describe('fair queue across workspaces (socket mode)', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness('socket');
    for (const user of [...FLOOD_USERS, QUIET_USER])
      harness.slack.workspace.users.set(user, { isAdmin: false });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('quiet workspace starts in turn', async () => {
    harness.ollama.scenario = { firstTokenDelayMs: 150, tokenDelayMs: 1 };
    // The flooding workspace: five users with two jobs each (one runs, nine wait: each user may have two waiting).
    for (let round = 0; round < 2; round++) {
      for (const user of FLOOD_USERS) await mentionWithImage(harness, user);
    }
    await waitFor(
      () => harness.logs.filter((line) => line.msg === 'Job queued').length === 10,
      '10 queued jobs',
    );
    await mentionWithImage(harness, QUIET_USER, { teamId: QUIET_TEAM });
    await harness.adapter.idle();

    const starts = harness.logs.filter((line) => line.msg === 'Job started');
    expect(starts).toHaveLength(11);
    const quietIndex = starts.findIndex((line) => line.guild === QUIET_TEAM);
    const quietQueued = harness.logs.find((line) => line.msg === 'Job queued' && line.guild === QUIET_TEAM);
    const startsBeforeQuietArrived = starts.filter((line) => Number(line.time) <= Number(quietQueued?.time));
    // Round robin: after it arrived, the quiet workspace waited for at most the flooding workspace's next start.
    expect(quietIndex - startsBeforeQuietArrived.length).toBeLessThanOrEqual(1);
    expect(quietIndex).toBeLessThan(10);

    const waitMs = Number(starts[quietIndex]?.time) - Number(quietQueued?.time);
    recordFigure('socket: quiet workspace wait ms while another floods (150 ms jobs)', waitMs);
    recordFigure(
      'socket: flooding jobs started before the quiet one after it queued',
      quietIndex - startsBeforeQuietArrived.length,
    );
    harness.ollama.scenario = { tokenDelayMs: 5 };
  });

  it('Cancel on the anchor ends the running /imagine', async () => {
    const { workspace } = harness.slack;
    harness.huggingFace.queue.push({ kind: 'hang' });
    await runCommand(harness, '/imagine', 'a slow sunrise', USER);
    await waitFor(
      () =>
        workspace.messages.some(
          (message) => /Working on it/.test(message.text) && message.thread_ts === undefined,
        ),
      'the running anchor',
    );
    const anchor = workspace.messages.find((message) => /a slow sunrise/.test(message.text)) as LocalMessage;
    await clickButton(harness, jobActions.cancel, anchor, OTHER_USER);
    await waitFor(() => workspace.ephemerals.some((entry) => entry.user === OTHER_USER), 'the refusal');
    await clickButton(harness, jobActions.cancel, anchor, USER);
    await harness.adapter.idle();
    expect(anchor.text).toBe(`<@${USER}> asked me to imagine: *a slow sunrise*\n_Cancelled by <@${USER}>._`);
    expect(anchor.blocks).toEqual([]);
    expect(harness.logs.some((line) => line.msg === 'job cancelled by the requester')).toBe(true);
  });
});

describe('store down (socket mode)', () => {
  let harness: Harness;

  beforeAll(async () => {
    // Nothing listens on port 1 of the loopback address, so the store is unreachable.
    harness = await startHarness('socket', { STORE_URL: 'redis://127.0.0.1:1', STORE_TIMEOUT_MS: '200' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('/imagine is refused clearly', async () => {
    const run = await runCommand(harness, '/imagine', 'a lighthouse', USER);
    await waitFor(() => run.replies().length > 0, 'the refusal');
    await harness.adapter.idle();
    expect(run.replies()[0]).toMatch(/having trouble reaching its storage/);
    expect(harness.huggingFace.generations).toHaveLength(0);
    expect(harness.slack.workspace.messages).toHaveLength(0);
    const usage = await runCommand(harness, '/iris', 'usage', ADMIN);
    await waitFor(() => usage.replies().length > 0, 'the usage answer');
    expect(usage.replies()[0]).toMatch(/having trouble reaching its storage/);
  });
});

const stores: Array<{ name: string; skip: string | undefined }> = [
  { name: 'sqlite', skip: undefined },
  { name: 'redis', skip: redisUrl ? undefined : noRedisReason },
];

describe.each(stores)('restart mid-queue ($name store)', ({ name, skip }) => {
  let harness: Harness;
  let directory: string;
  const prefix = uniquePrefix('slack-restart');

  beforeAll(async () => {
    if (skip) return;
    directory = mkdtempSync(path.join(tmpdir(), 'iris-slack-'));
    harness = await startHarness('socket', {
      STORE_URL: name === 'sqlite' ? `sqlite://${path.join(directory, 'iris.sqlite')}` : (redisUrl as string),
      STORE_KEY_PREFIX: prefix,
      HF_CONCURRENCY: '1',
    });
    harness.slack.workspace.users.set(QUIET_USER, { isAdmin: false });
  });
  afterAll(async () => {
    if (skip) return;
    await harness?.close();
    rmSync(directory, { recursive: true, force: true });
    if (name === 'redis' && redisUrl) await deleteKeysWithPrefix(redisUrl, prefix);
  });

  it.skipIf(skip !== undefined)(
    `jobs resume or offer Retry${skip ? ` (skipped: ${skip})` : ''}`,
    async () => {
      const { workspace } = harness.slack;
      const closedChannel = 'C0CLOSED01';
      workspace.memberOf.add(closedChannel);
      // Long enough for the other jobs to be queued and shown before the restart, even on a busy machine.
      harness.ollama.scenario = { firstTokenDelayMs: 1_500, tokenDelayMs: 1 };
      const chatsBefore = harness.ollama.chats.length;

      // One /imagine runs (the model loads for about two seconds) while another waits with its anchor.
      harness.huggingFace.queue.push({ kind: 'loading', estimatedTime: 2 });
      await runCommand(harness, '/imagine', 'a slow harbour', ADMIN);
      await waitFor(
        () => workspace.messages.some((message) => /a slow harbour\*\nWorking on it/.test(message.text)),
        'the running anchor',
      );
      await runCommand(harness, '/imagine', 'a waiting harbour', PAINTER);
      const anchorText = `<@${PAINTER}> asked me to imagine: *a waiting harbour*`;
      await waitFor(
        () => workspace.messages.some((message) => message.text.startsWith(`${anchorText}\nWaiting in line`)),
        'the queued anchor',
      );

      const running = await mentionWithImage(harness, USER);
      const waiting = await mentionWithImage(harness, OTHER_USER);
      const stranded = await mentionWithImage(harness, QUIET_USER, { channel: closedChannel });
      await waitFor(
        () => harness.logs.filter((line) => line.msg === 'Job queued').length === 5,
        'two /imagine and three describe jobs queued',
      );

      await waitFor(
        () => workspace.thread(CHANNEL, waiting.ts).length === 2,
        'the waiting job’s status message',
      );
      await waitFor(
        () => workspace.thread(closedChannel, stranded.ts).length === 2,
        'the stranded job’s status message',
      );
      // The bot is removed from one channel while it restarts.
      workspace.memberOf.delete(closedChannel);
      await harness.restartAdapter();
      harness.ollama.scenario = { tokenDelayMs: 1 };
      await harness.adapter.idle();

      expect(workspace.thread(CHANNEL, running.ts).at(-1)?.text).toBe(DEFAULT_ANSWER);
      const resumedThread = workspace.thread(CHANNEL, waiting.ts);
      expect(resumedThread.at(-1)?.text).toBe(DEFAULT_ANSWER);
      // Its status message was edited after the restart and removed when it finished.
      expect(resumedThread).toHaveLength(2);
      expect(
        harness.logs.some((line) => line.msg === 'Job resumed after restart' && line.user === OTHER_USER),
      ).toBe(true);
      const anchor = workspace.messages.find((message) => message.text.startsWith(anchorText));
      expect(anchor?.history.some((text) => text.includes('Resumed after a restart'))).toBe(true);
      expect(anchor?.text).toBe(anchorText);
      expect(
        harness.huggingFace.generations.filter((entry) => entry.inputs.includes('a waiting harbour')),
      ).toHaveLength(1);
      expect(
        workspace.thread(CHANNEL, anchor?.ts as string).some((message) => message.files !== undefined),
      ).toBe(true);
      // The running job finished before the restart and the waiting one ran after it; the stranded one did not run.
      expect(harness.ollama.chats.length - chatsBefore).toBe(2);

      const directMessages = workspace.messages.filter(
        (message) => message.channel === workspace.directMessageChannel(QUIET_USER),
      );
      expect(directMessages).toHaveLength(1);
      const retryMessage = directMessages[0] as LocalMessage;
      expect(retryMessage.text).toMatch(/was interrupted by a restart of the bot/);
      expect(JSON.stringify(retryMessage.blocks)).toContain(jobActions.retry);
      // The stranded job's status message could not be edited while the bot was out of the channel.
      expect(workspace.thread(closedChannel, stranded.ts)[1]?.text).toMatch(/^Waiting in line/);

      // Back in the channel, the requester retries with one click; another user cannot.
      workspace.memberOf.add(closedChannel);
      await clickButton(harness, jobActions.retry, retryMessage, USER);
      await waitFor(
        () => workspace.ephemerals.some((entry) => /Only the person/.test(entry.text)),
        'the refusal',
      );
      await clickButton(harness, jobActions.retry, retryMessage, QUIET_USER);
      await harness.adapter.idle();
      const strandedThread = workspace.thread(closedChannel, stranded.ts);
      expect(strandedThread.at(-1)?.text).toBe(DEFAULT_ANSWER);
      // The retry deleted the stale status message, so the request and its reply remain.
      expect(strandedThread).toHaveLength(2);
      expect(retryMessage.text).toBe('Retried.');
    },
  );
});
