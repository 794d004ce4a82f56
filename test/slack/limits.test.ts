import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONLY_REQUESTER_MESSAGE } from '../../adapters/slack/handlers/jobActions.js';
import { jobActions } from '../../adapters/slack/jobButtons.js';
import { ADMIN, CHANNEL, type Harness, type Mode, OTHER_USER, startHarness, USER } from './harness.js';
import { blockAction } from './localSlack/payloads.js';
import { iris, mentionWithImage, messagesWithAction, runCommand, waitFor } from './queueHelpers.js';

const SLACK_DATE = /<!date\^\d+\^\{date_short_pretty\} at \{time\}\|\d{4}-\d\d-\d\dT[^>]+>/;

describe.each<Mode>(['socket', 'http'])('limits and /iris (%s mode)', (mode) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(mode);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('/iris settings refused for non-admin', async () => {
    const answer = await iris(harness, 'settings set imagineBudget 1', USER);
    expect(answer).toBe('Only workspace admins and owners can use `/iris`.');
    const usage = await iris(harness, 'usage', USER);
    expect(usage).toMatch(/Only workspace admins and owners/);
  });

  it('/iris settings shows invalid values', async () => {
    const answer = await iris(harness, 'settings set imagineBudget lots', ADMIN);
    expect(answer).toMatch(/Those settings were not saved/);
    expect(answer).toMatch(/limits\.imagineBudget/);
    const unknown = await iris(harness, 'settings set colour blue', ADMIN);
    expect(unknown).toMatch(/Unknown setting "colour"/);
  });

  it('admin sets the imagine budget', async () => {
    const answer = await iris(harness, 'settings set imagineBudget 1', ADMIN);
    expect(answer).toMatch(/^Saved\./);
    expect(answer).toContain('imagineBudget: 1 per budget window');
    const logged = harness.logs.find((line) => line.msg === 'Guild settings changed');
    expect(logged).toMatchObject({ changedBy: ADMIN, guild: harness.slack.workspace.ids.teamId });
  });

  it('budget refusal names the limit and the Slack date', async () => {
    const first = await runCommand(harness, '/imagine', 'a lighthouse', USER);
    await harness.adapter.idle();
    expect(first.replies()).toEqual([]);
    expect(harness.huggingFace.generations).toHaveLength(1);

    const anchorsBefore = harness.slack.workspace.messages.length;
    const second = await runCommand(harness, '/imagine', 'a second lighthouse', OTHER_USER);
    await waitFor(() => second.replies().length > 0, 'the refusal');
    await harness.adapter.idle();
    const refusal = second.replies()[0] as string;
    expect(refusal).toMatch(/This workspace has used all 1 \/imagine requests allowed per hour\./);
    expect(refusal).toMatch(SLACK_DATE);
    expect(harness.huggingFace.generations).toHaveLength(1);
    // The anchor of the refused request was removed again.
    expect(harness.slack.workspace.messages.length).toBe(anchorsBefore);
  });

  it('/iris usage shows use against limits', async () => {
    const usage = await iris(harness, 'usage', ADMIN);
    expect(usage).toContain('`/imagine`: 1 of 1 used in the last hour.');
    expect(usage).toMatch(SLACK_DATE);
    expect(usage).toMatch(/`\/describe`: 0 of 60 used/);
    expect(usage).toContain('Waiting in the queue: 0 of 10.');
  });

  it('cooldown refusal for a quick second request', async () => {
    await iris(harness, 'settings set cooldownMs 60000', ADMIN);
    try {
      await mentionWithImage(harness, USER);
      await mentionWithImage(harness, USER);
      await harness.adapter.idle();
      const refusal = harness.slack.workspace.ephemerals.filter((entry) => entry.user === USER).at(-1);
      expect(refusal?.text).toMatch(/^Please wait 1 minute between requests\. You can send the next one /);
      expect(refusal?.text).toMatch(SLACK_DATE);
    } finally {
      await iris(harness, 'settings set cooldownMs default', ADMIN);
    }
  });

  it('allowed channels refusal lists them', async () => {
    await iris(harness, 'settings set allowedChannels <#C0ART0001|art>', ADMIN);
    try {
      const run = await runCommand(harness, '/imagine', 'a cat', ADMIN);
      await waitFor(() => run.replies().length > 0, 'the refusal');
      expect(run.replies()[0]).toBe(
        'The admins of this workspace have not allowed the bot in this channel. Please use one of the allowed channels. Allowed channels: <#C0ART0001>.',
      );
    } finally {
      await iris(harness, 'settings set allowedChannels default', ADMIN);
    }
  });

  it('default describe mode applies', async () => {
    await iris(harness, 'settings set defaultDescribeMode text', ADMIN);
    try {
      const before = harness.ollama.chats.length;
      await mentionWithImage(harness, USER);
      await harness.adapter.idle();
      expect(harness.ollama.chats[before]?.messages[0]?.content).toMatch(/Transcribe every piece of text/);
    } finally {
      await iris(harness, 'settings set defaultDescribeMode default', ADMIN);
    }
  });

  it('blocked word in /imagine is refused', async () => {
    await iris(harness, 'settings set imagineBudget 5', ADMIN);
    await iris(harness, 'settings set blockedWords dragon', ADMIN);
    const patterns = await iris(harness, 'settings set blockedPatterns ["cats? &amp; dogs"]', ADMIN);
    expect(patterns).toContain('blockedPatterns: `cats? &amp; dogs`');
    const pattern = await runCommand(harness, '/imagine', 'raining cats & dogs', USER);
    await waitFor(() => pattern.replies().length > 0, 'the pattern refusal');
    expect(pattern.replies()[0]).toMatch(/not allowed here/);
    const run = await runCommand(harness, '/imagine', 'a red Dragon', USER);
    await waitFor(() => run.replies().length > 0, 'the refusal');
    expect(run.replies()[0]).toMatch(/not allowed here/);

    const before = harness.huggingFace.generations.length;
    await runCommand(harness, '/imagine', 'a calm lake --negative blurry', USER);
    await harness.adapter.idle();
    const sent = harness.huggingFace.generations.at(-1);
    expect(harness.huggingFace.generations.length).toBe(before + 1);
    expect(String(sent?.parameters.negative_prompt)).toMatch(/^blurry, nsfw, nudity/);
  });

  it('user queue cap, then Cancel', async () => {
    const { workspace } = harness.slack;
    harness.ollama.scenario = { firstTokenDelayMs: 400, tokenDelayMs: 1 };
    const chatsBefore = harness.ollama.chats.length;
    try {
      await mentionWithImage(harness, USER);
      const queued1 = await mentionWithImage(harness, USER);
      const queued2 = await mentionWithImage(harness, USER);
      await mentionWithImage(harness, USER);
      await waitFor(
        () => workspace.ephemerals.some((entry) => /already have 2 requests waiting/.test(entry.text)),
        'the queue cap refusal',
      );
      await waitFor(
        () => messagesWithAction(harness, CHANNEL, queued2.ts, jobActions.cancel).length === 1,
        'the queue status message',
      );
      const card = messagesWithAction(harness, CHANNEL, queued2.ts, jobActions.cancel)[0];
      expect(card?.text).toMatch(/^Waiting in line: number 2, estimated wait /);
      expect(messagesWithAction(harness, CHANNEL, queued1.ts, jobActions.cancel)[0]?.text).toMatch(
        /number 1/,
      );

      const click = (user: string) =>
        harness.deliver(
          'interactive',
          blockAction(workspace, {
            actionId: jobActions.cancel,
            message: card as never,
            user,
            responseUrl: harness.slack.responseUrl(),
          }),
        );
      await click(OTHER_USER);
      await waitFor(
        () =>
          workspace.ephemerals.some(
            (entry) => entry.user === OTHER_USER && entry.text === ONLY_REQUESTER_MESSAGE,
          ),
        'the refusal to another user',
      );
      await click(USER);
      await harness.adapter.idle();

      expect(card?.text).toBe(`_Cancelled by <@${USER}>._`);
      expect(card?.blocks).toEqual([]);
      // The first two ran; the cancelled one never reached the model.
      expect(harness.ollama.chats.length - chatsBefore).toBe(2);
      expect(workspace.thread(CHANNEL, queued2.ts)).toHaveLength(2);
      // The status message of the job that waited and ran is gone; its answer is there.
      expect(workspace.thread(CHANNEL, queued1.ts)).toHaveLength(2);
    } finally {
      harness.ollama.scenario = { tokenDelayMs: 5 };
    }
  });
});
