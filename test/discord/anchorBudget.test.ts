import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Harness, jobEnded, startHarness } from './harness.js';
import type { RecordedCall } from './server/localDiscord.js';
import type { InteractionRecord } from './server/state.js';
import { newUser, runSlashCommand } from './server/users.js';

// One status edit every 4 s for the whole bot: far fewer than the queue has position changes.
const EDITS_PER_SECOND = 0.25;
const JOBS = 12;

describe('Discord anchor budget', () => {
  let harness: Harness;
  let image: Buffer;

  beforeAll(async () => {
    image = await readFile(fixture('waterview.jpg'));
    harness = await startHarness({
      env: {
        OLLAMA_CONCURRENCY: '1',
        GUILD_QUEUE_CAP: String(JOBS),
        DISCORD_ANCHOR_EDITS_PER_SECOND: String(EDITS_PER_SECOND),
      },
      scenario: { firstTokenDelayMs: 50, tokenDelayMs: 2 },
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const anchorEditsOf = (interaction: InteractionRecord): RecordedCall[] =>
    harness.discord.calls.filter(
      (call) =>
        call.method === 'PATCH' &&
        call.status === 200 &&
        call.path.endsWith(`/${interaction.token}/messages/@original`),
    );

  it('coalesces queued anchors and keeps final edits', async () => {
    const interactions = Array.from({ length: JOBS }, (_, index) =>
      runSlashCommand(
        harness.discord,
        { channelId: harness.channelId, user: newUser(`queued${index}`) },
        'describe',
        {},
        { image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image } },
      ),
    );
    const ended = await Promise.all(interactions.map((interaction) => jobEnded(harness, interaction.id)));
    // The final edit is awaited before `job done` is logged, so every anchor edit has been recorded.
    const startedAt = Math.min(...interactions.map((interaction) => interaction.createdAt));
    const endedAt = Math.max(...ended.map((line) => Number(line.time)));

    let statusEdits = 0;
    for (const interaction of interactions) {
      const edits = anchorEditsOf(interaction).map((call) => String(call.body.content));
      const last = edits.at(-1) ?? '';
      expect(last).toMatch(/^Described an image for <@\d+>\./);
      expect(harness.discord.state.messages.get(interaction.originalMessageId ?? '')?.content).toBe(last);

      const status = edits.slice(0, -1);
      for (const content of status) expect(content).toMatch(/Queued: position \d+|Working…/);
      for (const [index, content] of status.entries()) expect(content).not.toBe(status[index - 1]);
      // Positions only go down: a stale position never overwrites a newer one.
      const positions = status.map((content) => Number(/position (\d+)/.exec(content)?.[1] ?? 0));
      const queuedPositions = positions.filter((position) => position > 0);
      expect(queuedPositions).toEqual([...queuedPositions].sort((a, b) => b - a));
      statusEdits += status.length;
    }

    // The budget starts with one edit and adds EDITS_PER_SECOND each second, for all anchors together.
    const budget = 1 + Math.ceil(((endedAt - startedAt) / 1000) * EDITS_PER_SECOND);
    expect(statusEdits).toBeLessThanOrEqual(budget);
    process.stdout.write(
      `discord anchor budget: ${statusEdits} status edits for ${JOBS} queued jobs in ${endedAt - startedAt} ms (budget ${budget})\n`,
    );
  });
});
