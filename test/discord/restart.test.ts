import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type APIMessage, ChannelType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorBecomes, fixture, type Harness, jobEnded, startHarness } from './harness.js';
import type { InteractionRecord } from './server/state.js';
import { newUser, postUserMessage, pressButton, runSlashCommand, type TestUser } from './server/users.js';

function buttonId(message: APIMessage | undefined, label: string): string {
  const rows = (message?.components ?? []) as unknown as Array<{
    components: Array<{ label: string; custom_id: string }>;
  }>;
  const button = rows.flatMap((row) => row.components).find((component) => component.label === label);
  if (!button) throw new Error(`No ${label} button`);
  return button.custom_id;
}

describe('Discord restart mid-queue', () => {
  let harness: Harness;
  let image: Buffer;
  let directory: string;
  let secondChannel: string;

  beforeAll(async () => {
    image = await readFile(fixture('waterview.jpg'));
    directory = await mkdtemp(path.join(tmpdir(), 'iris-discord-restart-'));
    harness = await startHarness({
      env: { STORE_URL: `sqlite://${path.join(directory, 'iris.sqlite')}`, OLLAMA_CONCURRENCY: '1' },
      prepare(discord) {
        secondChannel = discord.state.addChannel(ChannelType.GuildText).id;
      },
    });
  });
  afterAll(async () => {
    await harness?.close();
    await rm(directory, { recursive: true, force: true });
  });

  const describeAs = (user: TestUser, channelId = harness.channelId): InteractionRecord =>
    runSlashCommand(
      harness.discord,
      { channelId, user },
      'describe',
      {},
      { image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image } },
    );
  const admitted = (interaction: InteractionRecord) =>
    harness.waitForLog((line) => line.interaction === interaction.id && line.msg === 'job admitted');

  it('resumes queued jobs, reports the others interrupted and retries them', async () => {
    const before = describeAs(newUser('early'));
    await jobEnded(harness, before.id);
    const earlyThread = before.originalMessageId ?? '';

    harness.ollama.scenario = { firstTokenDelayMs: 10_000, tokenDelayMs: 2 };
    const runningUser = newUser('running');
    const running = describeAs(runningUser);
    await admitted(running);
    const queued = describeAs(newUser('queued'));
    await admitted(queued);
    const lostUser = newUser('lost');
    const lost = describeAs(lostUser, secondChannel);
    await admitted(lost);

    // Shutdown's order: stop taking work, stop the queue, then abort what still runs at the end of the grace period.
    await harness.adapter.stop();
    harness.jobs.queue.close();
    await harness.core.jobs.drain(0, 5_000);
    const interrupted = await anchorBecomes(harness, running, (content) => content.startsWith('Interrupted'));
    expect(interrupted).toContain('Press Retry');

    harness.ollama.scenario = { tokenDelayMs: 2 };
    // The bot can no longer see the second channel when it comes back.
    harness.discord.faults.fail({
      method: 'GET',
      path: new RegExp(`^/channels/${secondChannel}$`),
      code: 50001,
    });
    // Every interaction token has expired by the time the new process looks at the stored jobs.
    await harness.restart({ interactionTtlMs: 1 });

    await jobEnded(harness, queued.id);
    const resumedThread = queued.originalMessageId ?? '';
    expect(harness.discord.channelMessages(resumedThread).at(-1)?.content).toContain('A wooden pier');
    const lostAnchor = await anchorBecomes(harness, lost, (content) => content.startsWith('Interrupted'));
    expect(lostAnchor).toContain(`<@${lostUser.id}>`);

    for (const [interaction, user, channelId] of [
      [running, runningUser, harness.channelId],
      [lost, lostUser, secondChannel],
    ] as const) {
      const anchor = harness.discord.state.messages.get(interaction.originalMessageId ?? '');
      const retry = pressButton(
        harness.discord,
        { channelId, user },
        anchor as APIMessage,
        buttonId(anchor, 'Retry'),
      );
      await jobEnded(harness, retry.id);
      expect(harness.discord.channelMessages(retry.originalMessageId ?? '').at(-1)?.content).toContain(
        'A wooden pier',
      );
      expect(harness.discord.state.messages.get(interaction.originalMessageId ?? '')?.components).toEqual([]);
    }

    // A thread from before the restart is still answered.
    harness.ollama.scenario = { text: 'The sky is pale blue.', tokenDelayMs: 2 };
    postUserMessage(
      harness.discord,
      earlyThread,
      newUser('asker'),
      `<@${harness.discord.state.botUser.id}> sky?`,
      {
        mentionBot: true,
      },
    );
    await harness.waitForLog((line) => line.command === 'follow-up' && line.msg === 'answer streamed');
    expect(harness.discord.channelMessages(earlyThread).at(-1)?.content).toBe('The sky is pale blue.');
  });
});
