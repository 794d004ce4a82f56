import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type APIMessage, ChannelType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../discord/harness.js';
import { type LocalDiscord, startLocalDiscord } from '../discord/server/localDiscord.js';
import type { InteractionRecord } from '../discord/server/state.js';
import { newUser, pressButton, runSlashCommand, type TestUser } from '../discord/server/users.js';
import { type LocalHuggingFace, startHuggingFaceServer } from '../servers/huggingface.js';
import { type LocalOllama, startOllamaServer } from '../servers/ollama.js';
import { type BotProcess, mainScript, startBotProcess } from './botProcess.js';
import { type RejectionWatch, watchRejections } from './rejections.js';

function retryButton(message: APIMessage | undefined): string | undefined {
  const rows = (message?.components ?? []) as unknown as Array<{
    components: Array<{ label?: string; custom_id?: string }>;
  }>;
  return rows.flatMap((row) => row.components).find((component) => component.label === 'Retry')?.custom_id;
}

describe('SIGKILL with 3 queued and 1 running', () => {
  let discord: LocalDiscord;
  let ollama: LocalOllama;
  let hf: LocalHuggingFace;
  let directory: string;
  let channelId: string;
  let image: Buffer;
  let watch: RejectionWatch;
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    if (!existsSync(mainScript)) throw new Error('dist/adapters/main.js is missing: run `npm run build`');
    watch = watchRejections();
    image = await readFile(fixture('waterview.jpg'));
    discord = await startLocalDiscord();
    ollama = await startOllamaServer();
    hf = await startHuggingFaceServer();
    channelId = discord.state.addChannel(ChannelType.GuildText).id;
    directory = await mkdtemp(path.join(tmpdir(), 'iris-faults-sigkill-'));
  });
  afterAll(async () => {
    for (const bot of bots) if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    await Promise.all(bots.map((bot) => bot.exited));
    await Promise.all([discord?.close(), ollama?.close(), hf?.close()]);
    await rm(directory, { recursive: true, force: true });
    watch?.stop();
    expect(watch.rejections).toEqual([]);
  });

  function startBot(): BotProcess {
    const bot = startBotProcess(directory, {
      LOG_LEVEL: 'info',
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_CDN_HOSTS: '127.0.0.1',
      DISCORD_EDIT_INTERVAL_MS: '100',
      DISCORD_ANCHOR_UPDATE_MS: '200',
      OLLAMA_HOST: ollama.url,
      HF_TOKEN: hf.token,
      HF_ENDPOINT_URL: hf.endpointUrl,
      HEALTH_PORT: '0',
      STORE_URL: `sqlite://${path.join(directory, 'iris.sqlite')}`,
      OLLAMA_CONCURRENCY: '1',
      USER_COOLDOWN_MS: '0',
      SHUTDOWN_GRACE_MS: '2000',
    });
    bots.push(bot);
    return bot;
  }

  const describeAs = (user: TestUser): InteractionRecord =>
    runSlashCommand(
      discord,
      { channelId, user },
      'describe',
      {},
      { image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image } },
    );
  /** Resumed jobs whose answer went to the channel instead of their thread. */
  const inPlace: string[] = [];
  const anchorOf = (interaction: InteractionRecord) =>
    discord.state.messages.get(interaction.originalMessageId ?? '');

  it('no job vanishes across the restart', async () => {
    const first = startBot();
    await first.waitForLog((line) => line.msg === 'platform adapter started');

    // The first answer takes far longer than the test, so it is still running at the kill.
    ollama.scenario = { firstTokenDelayMs: 60_000 };
    const users = ['running', 'queued-1', 'queued-2', 'queued-3'].map((name) => newUser(name));
    const interactions: InteractionRecord[] = [];
    for (const user of users) {
      const interaction = describeAs(user);
      interactions.push(interaction);
      await first.waitForLog((line) => line.interaction === interaction.id && line.msg === 'job admitted');
    }
    await expect.poll(() => ollama.openStreams, { timeout: 10_000 }).toBe(1);
    expect(anchorOf(interactions[0] as InteractionRecord)?.content).toContain('Working…');

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    await expect.poll(() => ollama.openStreams, { timeout: 10_000 }).toBe(0);

    ollama.scenario = { tokenDelayMs: 2 };
    const second = startBot();
    await second.waitForLog((line) => line.msg === 'platform adapter started');
    const restored = await second.waitForLog((line) => line.msg === 'stored jobs restored');
    expect(Number(restored.requeued) + Number(restored.interrupted)).toBe(4);

    // Each job either finished after the restart or says it was interrupted and offers Retry.
    const outcomes: string[] = [];
    for (const [index, interaction] of interactions.entries()) {
      const ended = await second.waitForLog(
        (line) =>
          line.interaction === interaction.id &&
          (line.msg === 'job done' || String(line.msg).startsWith('job interrupted')),
      );
      const anchor = anchorOf(interaction);
      if (ended.msg === 'job done') {
        outcomes.push('resumed');
        expect(anchor?.content).toMatch(/^Described an image/);
        const thread = interaction.originalMessageId ?? '';
        const inThread = discord.channelMessages(thread).at(-1)?.content ?? '';
        if (index === 0) {
          // The killed process had started the running job's thread, so starting it again gets 160004
          // and the resumed job finds that thread instead.
          const found = second.logs.find(
            (line) => line.interaction === interaction.id && line.discordCode === 160004,
          );
          expect(found?.msg).toBe('thread was started by an earlier run; using it');
          expect(found?.thread).toBe(thread);
        }
        if (!inThread.includes('A wooden pier')) {
          // The answer went to the channel instead; the test below reports it.
          inPlace.push(interaction.id);
          const note = second.logs.find(
            (line) => line.interaction === interaction.id && line.discordCode === 160004,
          );
          expect(note).toBeDefined();
          const answers = discord
            .channelMessages(channelId)
            .filter((message) => message.content.includes('A wooden pier'));
          expect(answers.length).toBeGreaterThanOrEqual(inPlace.length);
        }
        continue;
      }
      outcomes.push('interrupted');
      expect(anchor?.content).toMatch(/^Interrupted/);
      const retry = retryButton(anchor);
      expect(retry).toBeDefined();
      const pressed = pressButton(
        discord,
        { channelId, user: users[index] as TestUser },
        anchor as APIMessage,
        retry as string,
      );
      const retried = await second.waitForLog(
        (line) => line.interaction === pressed.id && line.msg === 'job done',
      );
      expect(retried.user).toBe(users[index]?.id);
    }
    process.stdout.write(`faults figures: after SIGKILL: ${JSON.stringify(outcomes)}\n`);
    expect(outcomes).toHaveLength(4);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    for (const bot of [first, second]) expect(bot.stderr()).not.toMatch(/unhandled/i);
    const failures = second.logs.filter((line) => Number(line.level) >= 50);
    expect(failures).toEqual([]);
  });

  // The killed process had already started the running job's thread. After the restart, starting it
  // again gets 160004 (thread already created); the answer must still go to that thread, not the channel.
  it('resumed job answers in its own thread', () => {
    expect(inPlace).toEqual([]);
  });
});
