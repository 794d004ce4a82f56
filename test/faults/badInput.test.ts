import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pixelBomb } from '../../bench/pixelBomb.js';
import { fixture, type Harness, startHarness } from '../discord/harness.js';
import { runSlashCommand } from '../discord/server/users.js';
import {
  anchorOf,
  expectNextDescribeWorks,
  expectNextImagineWorks,
  expectSettled,
  imagineIn,
  WARN,
} from './discordChecks.js';
import { type RejectionWatch, watchRejections } from './rejections.js';

const MIB = 1024 * 1024;
/** Pino's number for the `info` level: a refused request is expected, not a fault of the bot. */
const INFO = 30;

interface AttachmentCase {
  name: string;
  filename: string;
  contentType: string;
  data: () => Promise<Buffer> | Buffer;
  /** Refused from the attachment's declared type and size, before any download. */
  refusedAtIntake: boolean;
  code: string;
  says: string;
}

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';

const attachmentCases: AttachmentCase[] = [
  {
    name: 'not an image',
    filename: 'notes.pdf',
    contentType: 'application/pdf',
    data: () => Buffer.from('%PDF-1.7\n'),
    refusedAtIntake: true,
    code: 'IMAGE_UNSUPPORTED_FORMAT',
    says: '“notes.pdf” is not an image (application/pdf).',
  },
  {
    name: 'empty',
    filename: 'empty.png',
    contentType: 'image/png',
    data: () => Buffer.alloc(0),
    refusedAtIntake: false,
    code: 'IMAGE_EMPTY',
    says: 'the file is empty (0 bytes)',
  },
  {
    name: 'truncated',
    filename: 'truncated.png',
    contentType: 'image/png',
    data: () => readFile(fixture('truncated.png')),
    refusedAtIntake: false,
    code: 'IMAGE_UNREADABLE',
    says: 'the file is truncated',
  },
  {
    name: '30 MiB',
    filename: 'big.jpg',
    contentType: 'image/jpeg',
    data: () => Buffer.alloc(30 * MIB, 0xff),
    refusedAtIntake: true,
    code: 'IMAGE_TOO_LARGE',
    says: '“big.jpg” is 30.0 MiB, over the 25.0 MiB limit.',
  },
  {
    name: '65536×65536 PNG',
    filename: 'bomb.png',
    contentType: 'image/png',
    data: () => pixelBomb(65_536, 65_536, 64 * 1024),
    refusedAtIntake: false,
    code: 'IMAGE_TOO_MANY_PIXELS',
    says: 'This image is 65536×65536 pixels (4295 megapixels), over the 40 megapixel limit.',
  },
  {
    name: 'SVG',
    filename: 'drawing.svg',
    contentType: 'image/svg+xml',
    data: () => Buffer.from(SVG),
    refusedAtIntake: false,
    code: 'IMAGE_UNSUPPORTED_FORMAT',
    says: 'This file is an SVG image, not a supported image.',
  },
  {
    name: 'text named .png',
    filename: 'photo.png',
    contentType: 'image/png',
    data: () => Buffer.from('This is a text file, not a picture.\n'.repeat(20)),
    refusedAtIntake: false,
    code: 'IMAGE_UNSUPPORTED_FORMAT',
    says: 'This file is a text file, not a supported image.',
  },
];

describe('bad attachments and prompts on Discord', () => {
  let harness: Harness;
  let watch: RejectionWatch;

  beforeAll(async () => {
    watch = watchRejections();
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
    watch?.stop();
    expect(watch.rejections).toEqual([]);
  });

  const memory: Record<string, number> = {};

  for (const item of attachmentCases) {
    it(`attachment: ${item.name}`, async () => {
      const chatsBefore = harness.ollama.chats.length;
      const data = await item.data();
      const rssBefore = process.memoryUsage().rss;

      const interaction = runSlashCommand(
        harness.discord,
        { channelId: harness.channelId, user: harness.user },
        'describe',
        {},
        { image: { filename: item.filename, contentType: item.contentType, data } },
      );
      const logged = await harness.waitForLog(
        (line) => line.interaction === interaction.id && line.code === item.code,
      );

      if (item.refusedAtIntake) {
        // Refused in the ephemeral reply to the command: no job, no anchor.
        expect(logged.level).toBe(INFO);
        expect(logged.msg).toMatch(/^request refused/);
        await harness.discord.waitForCall((call) => call.path.includes(`/interactions/${interaction.id}/`));
        expect(interaction.ephemeral).toBe(true);
      } else {
        expect(logged.level).toBe(WARN);
        expect(logged.job).toBeTypeOf('string');
        const ended = await expectSettled(harness, interaction);
        expect(ended.msg).toMatch(/^job failed/);
        expect(anchorOf(harness, interaction)).toMatch(/^Failed: /);
      }

      expect(logged.user).toBe(harness.user.id);
      expect(logged.guild).toBe(harness.discord.state.guildId);
      expect(anchorOf(harness, interaction)).toContain(item.says);
      expect(harness.ollama.chats.length).toBe(chatsBefore);

      memory[item.name] = Math.round((process.memoryUsage().rss - rssBefore) / MIB);
      // A decoded 65536×65536 RGB image would take 12 GiB; the bot must refuse it from the header.
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * MIB);
    });
  }

  it('bot serves after bad attachments', async () => {
    process.stdout.write(`faults figures: RSS growth per bad attachment, MiB ${JSON.stringify(memory)}\n`);
    await expectNextDescribeWorks(harness);
  });

  const refusedPrompts = [
    { name: 'empty', prompt: '', says: 'The prompt is empty.' },
    { name: 'only whitespace', prompt: '  \t \n  ', says: 'The prompt is empty.' },
    {
      name: '5,000 characters',
      prompt: 'a lighthouse at dusk, '.repeat(228).slice(0, 5_000),
      says: 'The prompt is 5000 characters long; the limit is 1000.',
    },
  ];
  for (const { name, prompt, says } of refusedPrompts) {
    it(`prompt: ${name} is refused`, async () => {
      const generationsBefore = harness.hf.generations.length;
      const interaction = imagineIn(harness, prompt);
      const logged = await harness.waitForLog(
        (line) => line.interaction === interaction.id && line.code === 'INVALID_OPTION',
      );
      expect(logged.level).toBe(INFO);
      expect(logged.user).toBe(harness.user.id);
      await harness.discord.waitForCall((call) => call.path.includes(`/interactions/${interaction.id}/`));
      expect(interaction.ephemeral).toBe(true);
      expect(anchorOf(harness, interaction)).toContain(says);
      expect(harness.hf.generations.length).toBe(generationsBefore);
    });
  }

  it('prompt: control characters are removed', async () => {
    const interaction = imagineIn(harness, 'a red\u0000 kite\u0007 over\u001b[31m a beach');
    const ended = await expectSettled(harness, interaction);
    expect(ended.msg).toBe('job done');
    const sent = harness.hf.generations.at(-1)?.inputs ?? '';
    expect(sent).toContain('a red kite over');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the check is that none reach the model.
    expect(sent).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('prompt: blocked word is refused', async () => {
    const scope = { platform: 'discord' as const, guildId: harness.discord.state.guildId };
    const admin = { platform: 'discord' as const, userId: 'admin', permissions: String(1n << 5n) };
    await harness.jobs.settings.update(scope, { blockedWords: ['kite'] }, admin);
    try {
      const generationsBefore = harness.hf.generations.length;
      const interaction = imagineIn(harness, 'a red kite over a beach');
      const logged = await harness.waitForLog(
        (line) => line.interaction === interaction.id && line.code === 'PROMPT_BLOCKED',
      );
      expect(logged.user).toBe(harness.user.id);
      // A public anchor cannot turn ephemeral: it is deleted and the refusal follows for the user only.
      const refusal = await harness.discord.waitForCall(
        (call) =>
          call.method === 'POST' &&
          call.path.includes(`/${interaction.token}`) &&
          Number(call.body.flags) === 64,
      );
      const text = String(refusal.body.content);
      expect(text).toContain('This prompt contains a word or phrase that is not allowed here.');
      expect(harness.discord.state.messages.has(interaction.originalMessageId ?? '')).toBe(false);
      expect(text).not.toContain('kite');
      expect(harness.hf.generations.length).toBe(generationsBefore);
    } finally {
      await harness.jobs.settings.update(scope, { blockedWords: null }, admin);
    }
    await expectNextImagineWorks(harness);
  });

  /** Checks every message the bot sent or edited since `since` allows no mention but the requester. */
  function expectNoPings(since: number): void {
    const withContent = harness.discord.calls.filter(
      (call) =>
        call.at >= since &&
        (call.method === 'POST' || call.method === 'PATCH') &&
        ((call.body.data ?? call.body) as Record<string, unknown>).content !== undefined,
    );
    expect(withContent.length).toBeGreaterThan(0);
    for (const call of withContent) {
      const data = (call.body.data ?? call.body) as Record<string, unknown>;
      const allowed = data.allowed_mentions as
        | { parse?: string[]; roles?: string[]; users?: string[] }
        | undefined;
      expect(allowed, `${call.method} ${call.path}`).toBeDefined();
      expect(allowed?.parse ?? []).toEqual([]);
      expect(allowed?.roles ?? []).toEqual([]);
      for (const user of allowed?.users ?? []) expect(user).toBe(harness.user.id);
    }
  }

  it('prompt: @everyone never pings', async () => {
    const prompt = '@everyone @here <@&123456789012345678> a red kite over a beach';
    const interaction = imagineIn(harness, prompt);
    const ended = await expectSettled(harness, interaction);
    expect(ended.msg).toBe('job done');
    expectNoPings(interaction.createdAt);
  });

  it('model echoing @everyone never pings', async () => {
    harness.ollama.scenario = {
      text: '@everyone @here <@&123456789012345678> A wooden pier.',
      tokenDelayMs: 2,
    };
    try {
      const interaction = runSlashCommand(
        harness.discord,
        { channelId: harness.channelId, user: harness.user },
        'describe',
        { question: '@everyone what is this?' },
        {
          image: {
            filename: 'waterview.jpg',
            contentType: 'image/jpeg',
            data: await readFile(fixture('waterview.jpg')),
          },
        },
      );
      const ended = await expectSettled(harness, interaction);
      expect(ended.msg).toBe('job done');
      const answer = harness.discord.channelMessages(interaction.originalMessageId ?? '').at(-1);
      expect(answer?.content).toContain('@everyone');
      expectNoPings(interaction.createdAt);
    } finally {
      harness.ollama.scenario = { tokenDelayMs: 5 };
    }
  });
});
