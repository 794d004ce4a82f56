import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, type Harness, jobEnded, startHarness } from './harness.js';
import { runSlashCommand } from './server/users.js';

describe('Discord error codes', () => {
  let harness: Harness;
  let image: Buffer;
  beforeAll(async () => {
    image = await readFile(fixture('waterview.jpg'));
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const describeCommand = () =>
    runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user },
      'describe',
      {},
      {
        image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image },
      },
    );
  const imagineCommand = () =>
    runSlashCommand(harness.discord, { channelId: harness.channelId, user: harness.user }, 'imagine', {
      prompt: 'a red kite over a beach',
    });
  const loggedCode = (interactionId: string, code: number) =>
    harness.waitForLog((line) => line.interaction === interactionId && line.discordCode === code);

  // Codes that make the thread unusable: the result is posted in place, after a notice.
  const threadCases = [
    { code: 50013, method: 'POST', path: /^\/channels\/\d+\/messages\/\d+\/threads$/ },
    { code: 10008, method: 'POST', path: /^\/channels\/\d+\/messages\/\d+\/threads$/ },
    { code: 50001, method: 'POST', path: /^\/channels\/\d+\/messages$/ },
    { code: 10003, method: 'POST', path: /^\/channels\/\d+\/messages$/ },
  ];
  for (const { code, method, path } of threadCases) {
    it(`posts in place after ${code}`, async () => {
      harness.discord.faults.fail({ method, path, code });
      const interaction = describeCommand();
      await jobEnded(harness, interaction.id);
      const logLine = await loggedCode(interaction.id, code);
      expect(logLine.user).toBe(harness.user.id);
      expect(logLine.job).toBeTypeOf('string');
      const answer = harness.discord.channelMessages(harness.channelId).at(-1);
      expect(answer?.content).toContain('A wooden pier');
    });
  }

  for (const code of [10062, 40060]) {
    it(`stops quietly when the acknowledgement gets ${code}`, async () => {
      harness.discord.faults.fail({ method: 'POST', path: /\/callback$/, code });
      const before = harness.discord.calls.length;
      const interaction = describeCommand();
      const logLine = await loggedCode(interaction.id, code);
      expect(logLine.action).toBe('acknowledge interaction');
      expect(harness.ollama.chats.length).toBeGreaterThan(0);
      expect(harness.discord.calls.slice(before).every((call) => !call.path.startsWith('/webhooks/'))).toBe(
        true,
      );
      expect(JSON.stringify(harness.logs)).not.toContain(interaction.token);
    });
  }

  const failedCases = [
    { code: 50035, says: 'rejected the reply as invalid' },
    { code: 40005, says: 'larger than this channel accepts' },
  ];
  for (const { code, says } of failedCases) {
    it(`tells the user when posting the image gets ${code}`, async () => {
      harness.discord.faults.fail({ method: 'POST', path: /^\/channels\/\d+\/messages$/, code });
      const interaction = imagineCommand();
      await jobEnded(harness, interaction.id);
      await loggedCode(interaction.id, code);
      const anchor = harness.discord.state.messages.get(interaction.originalMessageId ?? '');
      expect(anchor?.content).toContain('Failed');
      expect(anchor?.content).toContain(says);
    });
  }

  it('refuses a generated image over the upload limit', async () => {
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user, attachmentSizeLimit: 100 },
      'imagine',
      { prompt: 'a red kite over a beach' },
    );
    await jobEnded(harness, interaction.id);
    const anchor = harness.discord.state.messages.get(interaction.originalMessageId ?? '');
    expect(anchor?.content).toContain('upload limit');
  });

  it('refuses an attachment declared too large', async () => {
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user },
      'describe',
      {},
      {
        image: {
          filename: 'huge.jpg',
          contentType: 'image/jpeg',
          data: image,
          declaredSize: 200 * 1024 * 1024,
        },
      },
    );
    await harness.discord.waitForCall((call) => call.path.includes(`/interactions/${interaction.id}/`));
    expect(interaction.ephemeral).toBe(true);
    expect(harness.discord.state.messages.get(interaction.originalMessageId ?? '')?.content).toContain(
      '200.0 MiB',
    );
  });

  it('refuses an attachment that is not an image', async () => {
    const interaction = runSlashCommand(
      harness.discord,
      { channelId: harness.channelId, user: harness.user },
      'describe',
      {},
      {
        image: { filename: 'notes.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.7') },
      },
    );
    await harness.discord.waitForCall((call) => call.path.includes(`/interactions/${interaction.id}/`));
    expect(interaction.ephemeral).toBe(true);
    expect(harness.discord.state.messages.get(interaction.originalMessageId ?? '')?.content).toContain(
      'is not an image',
    );
  });
});
