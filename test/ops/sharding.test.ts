import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChannelType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDiscord, startLocalDiscord } from '../discord/server/localDiscord.js';
import { shardOf } from '../discord/server/snowflake.js';
import type { InteractionRecord } from '../discord/server/state.js';
import { type InteractionContext, newUser, runSlashCommand } from '../discord/server/users.js';
import { type LocalHuggingFace, startHuggingFaceServer } from '../servers/huggingface.js';
import { type LocalOllama, startOllamaServer } from '../servers/ollama.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shardedScript = path.join(repoRoot, 'dist/adapters/sharded.js');
const redisUrl = process.env.REDIS_URL;
const SHARDS = 2;

type LogLine = Record<string, unknown> & { msg: string };

const until = async (condition: () => boolean, what: string, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port p such that p .. p + count - 1 are free: HEALTH_PORT plus each shard id. */
async function freePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const rest = await Promise.all(
      Array.from({ length: count - 1 }, (_, index) => portIsFree(port + index + 1)),
    );
    if (rest.every(Boolean)) return port;
  }
  throw new Error(`no run of ${count} free ports`);
}

describe.skipIf(redisUrl === undefined)(
  'npm run start:sharded (needs REDIS_URL: the shards share one Redis)',
  () => {
    let discord: LocalDiscord;
    let ollama: LocalOllama;
    let hf: LocalHuggingFace;
    let child: ChildProcessWithoutNullStreams;
    let exited: Promise<number | null>;
    let cwd: string;
    let healthPort: number;
    let stdout = '';
    let stderr = '';
    // The test guild stays on the shard Discord routes it to; a second guild sits on the other shard.
    let sharedChannel: string;
    let sharedGuildShard: number;
    let otherChannel: string;

    const logs = (): LogLine[] =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as LogLine);
    const metricsOf = async (shard: number) =>
      (await fetch(`http://127.0.0.1:${healthPort + shard}/metrics`)).text();

    /** Runs /imagine and waits until it is admitted (a model request with its prompt) or refused. */
    async function imagine(context: InteractionContext, prompt: string): Promise<'admitted' | 'refused'> {
      const interaction: InteractionRecord = runSlashCommand(discord, context, 'imagine', { prompt });
      const refused = () =>
        discord.calls.some(
          (call) =>
            call.method === 'POST' &&
            call.path.endsWith(`/${interaction.token}`) &&
            Number(call.body.flags ?? 0) === 64 &&
            String(call.body.content).includes('/imagine requests'),
        );
      const admitted = () => hf.generations.some((generation) => generation.inputs.includes(prompt));
      await until(() => refused() || admitted(), `an answer to /imagine ${prompt}`);
      return admitted() ? 'admitted' : 'refused';
    }

    beforeAll(async () => {
      if (!existsSync(shardedScript))
        throw new Error('dist/adapters/sharded.js is missing: run `npm run build`');
      discord = await startLocalDiscord();
      discord.settings.shardCount = SHARDS;
      ollama = await startOllamaServer();
      hf = await startHuggingFaceServer();
      sharedChannel = discord.state.addChannel(ChannelType.GuildText).id;
      sharedGuildShard = shardOf(discord.state.guildId, SHARDS);
      const otherGuild = discord.state.addGuild({ shard: 1 - sharedGuildShard, shardCount: SHARDS });
      otherChannel = discord.state.addChannel(ChannelType.GuildText, { guild_id: otherGuild }).id;

      cwd = await mkdtemp(path.join(tmpdir(), 'iris-sharded-'));
      healthPort = await freePortRun(SHARDS);
      child = spawn(process.execPath, [shardedScript], {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          LOG_LEVEL: 'info',
          DISCORD_TOKEN: discord.token,
          DISCORD_API_URL: discord.apiUrl,
          DISCORD_CDN_HOSTS: '127.0.0.1',
          DISCORD_EDIT_INTERVAL_MS: '100',
          OLLAMA_HOST: ollama.url,
          HF_TOKEN: hf.token,
          HF_ENDPOINT_URL: hf.endpointUrl,
          HEALTH_PORT: String(healthPort),
          // A fresh prefix, so runs sharing the CI Redis never see each other's budgets.
          STORE_URL: redisUrl ?? '',
          STORE_KEY_PREFIX: `iris-shard-test-${randomUUID().slice(0, 8)}`,
          IMAGINE_BUDGET: '2',
          USER_COOLDOWN_MS: '0',
          SHUTDOWN_GRACE_MS: '5000',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      await until(
        () => stdout.includes('"every shard is ready"') || child.exitCode !== null,
        'both shards to be ready',
        45_000,
      );
      if (child.exitCode !== null) throw new Error(`start:sharded exited: ${stderr}`);
    }, 60_000);

    afterAll(async () => {
      if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
      await Promise.all([discord?.close(), ollama?.close(), hf?.close()]);
      if (cwd !== undefined) await rm(cwd, { recursive: true, force: true });
    });

    it('identifies one session per shard', () => {
      expect(discord.calls.some((call) => call.method === 'GET' && call.path === '/gateway/bot')).toBe(true);
      expect([...discord.gateway.shards].sort()).toEqual([0, 1]);
      const started = logs().find((line) => line.msg === 'starting Discord shards');
      expect(started).toMatchObject({ shardCount: 2, source: 'GET /gateway/bot' });
    });

    it('reports every shard gateway as ready', async () => {
      for (let shard = 0; shard < SHARDS; shard++) {
        const response = await fetch(`http://127.0.0.1:${healthPort + shard}/readyz`);
        const body = (await response.json()) as {
          checks: Array<{ name: string; ok: boolean; detail?: string }>;
        };
        expect(response.status).toBe(200);
        expect(body.checks.find((check) => check.name === 'discord gateway')).toMatchObject({
          ok: true,
          detail: 'all 2 shards connected',
        });
      }
    });

    it('shares one guild budget across shards', async () => {
      const via = (shard: number | undefined): InteractionContext => ({
        channelId: sharedChannel,
        user: newUser(),
        ...(shard === undefined ? {} : { shard }),
      });
      const otherShard = 1 - sharedGuildShard;
      // IMAGINE_BUDGET=2: the guild's own shard, then the other shard (as after a resharding), then each again.
      const outcomes = [
        await imagine(via(undefined), 'a lighthouse at dusk'),
        await imagine(via(otherShard), 'a lighthouse at dawn'),
        await imagine(via(sharedGuildShard), 'a lighthouse at noon'),
        await imagine(via(otherShard), 'a lighthouse at night'),
      ];
      expect(outcomes).toEqual(['admitted', 'admitted', 'refused', 'refused']);
      // The other guild has its own budget and its own shard.
      expect(await imagine({ channelId: otherChannel, user: newUser() }, 'a harbour in fog')).toBe(
        'admitted',
      );

      // Each admitted job ended in the process of the shard that received it.
      await until(() => logs().filter((line) => line.msg === 'job done').length === 3, 'three jobs done');
      const doneOn = logs()
        .filter((line) => line.msg === 'job done')
        .map((line) => line.shard)
        .sort();
      expect(doneOn).toEqual([sharedGuildShard, otherShard, otherShard].sort());
    });

    it('labels metrics by shard', async () => {
      for (let shard = 0; shard < SHARDS; shard++) {
        const metrics = await metricsOf(shard);
        expect(metrics).toContain(`iris_shard_info{shard="${shard}"} 1`);
        expect(metrics).not.toContain(`shard="${1 - shard}"`);
      }
    });

    it('stops every shard on SIGTERM', async () => {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(
        logs()
          .filter((line) => line.msg === 'stopped')
          .map((line) => line.shard)
          .sort(),
      ).toEqual([0, 1]);
    }, 30_000);
  },
);

describe('npm run start:sharded without a shared store', () => {
  it('rejects two shards on SQLite', async () => {
    if (!existsSync(shardedScript))
      throw new Error('dist/adapters/sharded.js is missing: run `npm run build`');
    const cwd = await mkdtemp(path.join(tmpdir(), 'iris-sharded-'));
    try {
      const child = spawn(process.execPath, [shardedScript], {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          DISCORD_TOKEN: 'local-discord-bot-token-0000',
          DISCORD_API_URL: 'http://127.0.0.1:9/api',
          DISCORD_SHARD_COUNT: '2',
          STORE_URL: 'sqlite://data/iris.sqlite',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', (exit) => resolve(exit)));
      expect(code).toBe(1);
      expect(stderr).toContain('STORE_URL is sqlite://data/iris.sqlite');
      expect(stderr).toContain('Set STORE_URL=redis://<host>:<port>');
      expect(stderr).not.toContain('local-discord-bot-token');
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
