import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../discord/harness.js';
import {
  anchorOf,
  describeWaterview,
  expectLoggedCode,
  expectNextDescribeWorks,
  expectNextImagineWorks,
  expectSettled,
  imagineIn,
} from './discordChecks.js';
import { type RejectionWatch, watchRejections } from './rejections.js';
import { type SwitchableProxy, startSwitchableProxy } from './switchableProxy.js';

// Short limits so stalls, hangs and warm-ups take a second or two, not minutes. They stay well above
// the local servers' normal gaps, so a loaded CI machine does not trip them.
const ENV = {
  DESCRIBE_STALL_MS: '1000',
  IMAGINE_TIMEOUT_MS: '2000',
  IMAGINE_MAX_WAIT_MS: '5000',
};

describe('model faults on Discord', () => {
  let harness: Harness;
  let proxy: SwitchableProxy;
  let watch: RejectionWatch;

  beforeAll(async () => {
    watch = watchRejections();
    harness = await startHarness({ env: ENV });
    // The bot reaches Ollama through a proxy that the first test takes down and brings back.
    proxy = await startSwitchableProxy(harness.ollama.url);
    await harness.restart({ env: { ...ENV, OLLAMA_HOST: proxy.url } });
  });
  afterAll(async () => {
    await harness?.close();
    await proxy?.close();
    watch?.stop();
    expect(watch.rejections).toEqual([]);
  });

  it('Ollama down: unreachable, then recovers', async () => {
    await proxy.down();
    const check = await harness.core.vision.check();
    expect(check.ok).toBe(false);

    const interaction = await describeWaterview(harness);
    const ended = await expectSettled(harness, interaction);
    expect(ended.msg).toMatch(/^job failed/);
    expect(anchorOf(harness, interaction)).toContain('The vision model is unreachable');
    const logged = await expectLoggedCode(harness, interaction, 'VISION_UNREACHABLE');
    expect(logged.adminHint).toContain('ollama serve');
    expect(logged.networkCode).toBe('ECONNREFUSED');

    await proxy.up();
    expect((await harness.core.vision.check()).ok).toBe(true);
    await expectNextDescribeWorks(harness);
  });

  it('Ollama stall keeps partial text', async () => {
    harness.ollama.scenario = { stallAfterTokens: 4, tokenDelayMs: 2 };
    const interaction = await describeWaterview(harness);
    const ended = await expectSettled(harness, interaction);
    expect(ended.msg).toBe('job done');
    const answer = harness.discord.channelMessages(interaction.originalMessageId ?? '').at(-1)?.content;
    expect(answer).toContain('A wooden pier');
    expect(answer).toContain('The vision model stopped responding, so the answer was cut off here.');
    expect(answer).not.toContain('calm lake');
    const logged = await expectLoggedCode(harness, interaction, 'VISION_STALLED');
    expect(logged.msg).toBe('answer cut short');
    await expectNextDescribeWorks(harness);
  });

  it('Ollama stream without done', async () => {
    harness.ollama.scenario = { cutAfterTokens: 4, tokenDelayMs: 2 };
    const interaction = await describeWaterview(harness);
    await expectSettled(harness, interaction);
    const answer = harness.discord.channelMessages(interaction.originalMessageId ?? '').at(-1)?.content;
    expect(answer).toContain('A wooden pier');
    expect(answer).toContain('The vision model stopped before finishing its answer.');
    const logged = await expectLoggedCode(harness, interaction, 'VISION_STREAM_INCOMPLETE');
    expect(logged.msg).toBe('answer cut short');
    await expectNextDescribeWorks(harness);
  });

  it('Ollama error line mid-stream', async () => {
    harness.ollama.scenario = { errorAfterTokens: 4, tokenDelayMs: 2, errorMessage: 'runner crashed' };
    const interaction = await describeWaterview(harness);
    await expectSettled(harness, interaction);
    const answer = harness.discord.channelMessages(interaction.originalMessageId ?? '').at(-1)?.content;
    expect(answer).toContain('A wooden pier');
    expect(answer).toContain('The vision model reported an error while answering.');
    const logged = await expectLoggedCode(harness, interaction, 'VISION_FAILED');
    expect(logged.msg).toBe('answer cut short');
    await expectNextDescribeWorks(harness);
  });

  it('model not pulled names ollama pull', async () => {
    const models = [...harness.ollama.models];
    harness.ollama.models.splice(0, harness.ollama.models.length, { name: 'llama3:latest', vision: false });
    try {
      const interaction = await describeWaterview(harness);
      await expectSettled(harness, interaction);
      expect(anchorOf(harness, interaction)).toContain('The bot is misconfigured');
      const logged = await expectLoggedCode(harness, interaction, 'VISION_MODEL_NOT_PULLED');
      expect(logged.adminHint).toContain('ollama pull llava');
    } finally {
      harness.ollama.models.splice(0, harness.ollama.models.length, ...models);
    }
    await expectNextDescribeWorks(harness);
  });

  // While the model warms up (503), the anchor says so and how long the wait is, as Slack's status does.
  it('HF 503 twice shows warm-up', async () => {
    harness.hf.queue.push({ kind: 'loading', estimatedTime: 1 }, { kind: 'loading', estimatedTime: 1 });
    const interaction = imagineIn(harness, 'a red kite over a beach');
    const ended = await expectSettled(harness, interaction);
    expect(ended.msg).toBe('job done');
    const anchorEdits = harness.discord.calls.filter(
      (call) =>
        call.method === 'PATCH' &&
        call.at >= interaction.createdAt &&
        String(call.body.content ?? '').includes('warming up'),
    );
    expect(anchorEdits.length).toBeGreaterThan(0);
    expect(String(anchorEdits[0]?.body.content)).toMatch(/about \d+ s/);
  });

  it('HF 503 twice, then the image', async () => {
    const before = harness.hf.generations.length;
    harness.hf.queue.push({ kind: 'loading', estimatedTime: 1 }, { kind: 'loading', estimatedTime: 1 });
    const interaction = imagineIn(harness, 'a red kite over a beach');
    const ended = await expectSettled(harness, interaction);
    expect(ended.msg).toBe('job done');
    expect(harness.hf.generations.length - before).toBe(3);
    const waits = harness.logs.filter(
      (line) => line.interaction === interaction.id && line.msg === 'waiting for the image model',
    );
    expect(waits.map((line) => line.reason)).toEqual(['loading', 'loading']);
    const thread = interaction.originalMessageId ?? '';
    expect(harness.discord.channelMessages(thread).at(-1)?.attachments).toHaveLength(1);
  });

  const imageFaults = [
    {
      name: '429 with Retry-After',
      answer: { kind: 'error', status: 429, headers: { 'retry-after': '30' } } as const,
      code: 'IMAGINE_RATE_LIMITED',
      says: 'The image service is busy right now. Please try again in about 30 s.',
      attempts: 1,
    },
    {
      name: '401',
      answer: { kind: 'error', status: 401 } as const,
      code: 'IMAGINE_UNAUTHORIZED',
      says: 'the image service rejected its credentials',
      attempts: 1,
    },
    {
      name: '410',
      answer: { kind: 'error', status: 410 } as const,
      code: 'IMAGINE_MODEL_NOT_SERVED',
      says: 'the image model is not available from its image service',
      attempts: 1,
    },
    {
      name: 'timeout',
      answer: { kind: 'hang' } as const,
      code: 'IMAGINE_TIMEOUT',
      says: 'The image service took too long to answer.',
      attempts: 1,
    },
  ];
  for (const fault of imageFaults) {
    it(`HF ${fault.name} gets its own message`, async () => {
      const before = harness.hf.generations.length;
      harness.hf.queue.push(fault.answer);
      const interaction = imagineIn(harness, 'a red kite over a beach');
      const ended = await expectSettled(harness, interaction);
      expect(ended.msg).toMatch(/^job failed/);
      expect(harness.hf.generations.length - before).toBe(fault.attempts);
      expect(anchorOf(harness, interaction)).toContain(fault.says);
      await expectLoggedCode(harness, interaction, fault.code);
      const thread = interaction.originalMessageId ?? '';
      expect(harness.discord.channelMessages(thread).every((message) => !message.attachments?.length)).toBe(
        true,
      );
      await expectNextImagineWorks(harness);
    });
  }

  it('HF black image is filtered', async () => {
    harness.hf.queue.push({ kind: 'black' });
    const interaction = imagineIn(harness, 'a red kite over a beach');
    const ended = await expectSettled(harness, interaction);
    expect(ended.msg).toMatch(/^job failed/);
    expect(anchorOf(harness, interaction)).toContain('blocked by the model’s safety filter');
    await expectLoggedCode(harness, interaction, 'IMAGINE_FILTERED');
    const uploads = harness.discord.calls.filter(
      (call) => call.files.length > 0 && call.at >= interaction.createdAt,
    );
    expect(uploads).toEqual([]);
    await expectNextImagineWorks(harness);
  });
});
