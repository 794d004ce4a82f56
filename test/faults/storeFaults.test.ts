import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, uniquePrefix } from '../core/helpers.js';
import { type Harness, startHarness } from '../discord/harness.js';
import type { InteractionRecord } from '../discord/server/state.js';
import {
  describeWaterview,
  expectNextDescribeWorks,
  expectNextImagineWorks,
  imagineIn,
} from './discordChecks.js';
import { type LocalRedis, localRedis, redisServerMissing } from './redisServer.js';
import { type RejectionWatch, watchRejections } from './rejections.js';

/** Pino's number for the `error` level. */
const ERROR = 50;

describe.skipIf(redisServerMissing !== undefined)(
  `store faults on Discord (${redisServerMissing ?? 'redis-server found'})`,
  () => {
    let harness: Harness;
    let redis: LocalRedis;
    let watch: RejectionWatch;

    beforeAll(async () => {
      watch = watchRejections();
      // Nothing listens on this port yet: the bot starts with its store down.
      redis = localRedis(await freePort());
      harness = await startHarness({
        env: { STORE_URL: redis.url, STORE_TIMEOUT_MS: '300', STORE_KEY_PREFIX: uniquePrefix('faults') },
      });
    });
    afterAll(async () => {
      await harness?.close();
      await redis?.stop();
      watch?.stop();
      expect(watch.rejections).toEqual([]);
    });

    /** The ephemeral text the user reads when a request is refused after its anchor was posted. */
    async function refusalOf(interaction: InteractionRecord): Promise<string> {
      const call = await harness.discord.waitForCall(
        (entry) =>
          entry.method === 'POST' &&
          entry.path.includes(`/${interaction.token}`) &&
          Number(entry.body.flags) === 64,
      );
      return String(call.body.content);
    }

    async function expectRefusedForStore(
      interaction: InteractionRecord,
      command: 'imagine' | 'describe',
    ): Promise<void> {
      const text = await refusalOf(interaction);
      expect(text).toContain('trouble reaching its storage');
      // Admission logs a refused /describe with the guild, channel and user, not the interaction id.
      const logged = await harness.waitForLog(
        (line) =>
          line.code === 'STORE_UNAVAILABLE' &&
          line.user === harness.user.id &&
          line.command === command &&
          Number(line.time) >= interaction.createdAt &&
          String(line.msg).startsWith(command === 'imagine' ? 'request refused' : 'Request rejected'),
      );
      expect(logged.guild).toBe(harness.discord.state.guildId);
      expect(logged.channel).toBe(harness.channelId);
      expect(harness.discord.state.messages.has(interaction.originalMessageId ?? '')).toBe(false);
    }

    it('Redis down at start: start-up says so', async () => {
      const startup = harness.logs.find((line) => String(line.msg).startsWith('Store unreachable'));
      expect(startup?.level).toBe(ERROR);
      expect(startup?.code).toBe('STORE_UNAVAILABLE');
      expect(harness.jobs.health.ok).toBe(false);

      const generationsBefore = harness.hf.generations.length;
      await expectRefusedForStore(imagineIn(harness, 'a lighthouse at dusk'), 'imagine');
      expect(harness.hf.generations.length).toBe(generationsBefore);

      // Without the store a /describe job cannot be kept, so it is refused the same way.
      const chatsBefore = harness.ollama.chats.length;
      await expectRefusedForStore(await describeWaterview(harness), 'describe');
      expect(harness.ollama.chats.length).toBe(chatsBefore);
    });

    it('recovers when Redis comes up', async () => {
      await redis.start();
      await harness.jobs.stores.ready(10_000);
      await expectNextImagineWorks(harness);
      await expectNextDescribeWorks(harness);
    });

    it('Redis down mid-run: refused, then recovers', async () => {
      await redis.stop();
      const generationsBefore = harness.hf.generations.length;
      await expectRefusedForStore(imagineIn(harness, 'a lighthouse at dusk'), 'imagine');
      expect(harness.hf.generations.length).toBe(generationsBefore);
      const chatsBefore = harness.ollama.chats.length;
      await expectRefusedForStore(await describeWaterview(harness), 'describe');
      expect(harness.ollama.chats.length).toBe(chatsBefore);

      await redis.start();
      await harness.jobs.stores.ready(10_000);
      await expectNextImagineWorks(harness);
      await expectNextDescribeWorks(harness);
    });
  },
);
