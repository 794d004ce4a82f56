import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../core/helpers.js';
import { type LocalDiscord, startLocalDiscord } from '../discord/server/localDiscord.js';
import { type LocalOllama, startOllamaServer } from '../servers/ollama.js';
import { type BotProcess, mainScript, startBotProcess } from './botProcess.js';
import { type RejectionWatch, watchRejections } from './rejections.js';
import { type SwitchableProxy, startSwitchableProxy } from './switchableProxy.js';

interface ReadinessBody {
  status: 'ready' | 'not ready';
  failing: string[];
}

describe('readiness while Ollama is down', () => {
  let discord: LocalDiscord;
  let ollama: LocalOllama;
  let proxy: SwitchableProxy;
  let directory: string;
  let bot: BotProcess;
  let health: string;
  let watch: RejectionWatch;

  beforeAll(async () => {
    if (!existsSync(mainScript)) throw new Error('dist/adapters/main.js is missing: run `npm run build`');
    watch = watchRejections();
    discord = await startLocalDiscord();
    ollama = await startOllamaServer();
    proxy = await startSwitchableProxy(ollama.url);
    directory = await mkdtemp(path.join(tmpdir(), 'iris-faults-ready-'));
    const healthPort = await freePort();
    health = `http://127.0.0.1:${healthPort}`;
    await proxy.down();
    bot = startBotProcess(directory, {
      LOG_LEVEL: 'info',
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      OLLAMA_HOST: proxy.url,
      HEALTH_PORT: String(healthPort),
      STORE_URL: 'memory',
    });
  });
  afterAll(async () => {
    if (bot && bot.child.exitCode === null) bot.child.kill('SIGKILL');
    await bot?.exited;
    await Promise.all([discord?.close(), ollama?.close(), proxy?.close()]);
    await rm(directory, { recursive: true, force: true });
    watch?.stop();
    expect(watch.rejections).toEqual([]);
  });

  const readiness = async (): Promise<{ status: number; body: ReadinessBody }> => {
    const response = await fetch(`${health}/readyz`);
    return { status: response.status, body: (await response.json()) as ReadinessBody };
  };

  it('starts, reports not ready, then ready', async () => {
    await bot.waitForLog((line) => line.msg === 'platform adapter started');
    const startup = bot.logs.find((line) => line.code === 'VISION_UNREACHABLE');
    expect(startup).toBeDefined();

    const down = await readiness();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('not ready');
    expect(down.body.failing).toEqual(['vision backend']);

    await proxy.up();
    const up = await readiness();
    expect(up.status).toBe(200);
    expect(up.body.status).toBe('ready');

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.stderr()).not.toMatch(/unhandled/i);
  });
});
