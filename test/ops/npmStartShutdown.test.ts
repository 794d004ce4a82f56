import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChannelType } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalDiscord } from '../discord/server/localDiscord.js';
import { newUser, runSlashCommand } from '../discord/server/users.js';
import { startOllamaServer } from '../servers/ollama.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mainScript = path.join(repoRoot, 'dist/adapters/main.js');
const fixture = (name: string) => path.resolve(repoRoot, 'test/fixtures/images', name);

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const until = async (condition: () => boolean, what: string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('npm start with Discord', () => {
  it('finishes a running /describe on SIGTERM, then exits 0', async () => {
    if (!existsSync(mainScript)) throw new Error('dist/adapters/main.js is missing: run `npm run build`');
    const discord = await startLocalDiscord();
    cleanups.push(() => discord.close());
    // About 25 tokens 80 ms apart: the answer is still streaming when SIGTERM arrives.
    const ollama = await startOllamaServer({ scenario: { tokenDelayMs: 80 } });
    cleanups.push(() => ollama.close());
    const channel = discord.state.addChannel(ChannelType.GuildText);
    // A fresh working directory, so no developer .env or data/ is read.
    const cwd = await mkdtemp(path.join(tmpdir(), 'iris-start-'));
    cleanups.push(() => rm(cwd, { recursive: true, force: true }));
    const healthPort = await freePort();

    const child = spawn(process.execPath, [mainScript], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        LOG_LEVEL: 'info',
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.apiUrl,
        DISCORD_CDN_HOSTS: '127.0.0.1',
        DISCORD_EDIT_INTERVAL_MS: '100',
        OLLAMA_HOST: ollama.url,
        HEALTH_PORT: String(healthPort),
        SHUTDOWN_GRACE_MS: '20000',
        STORE_URL: 'memory',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const health = `http://127.0.0.1:${healthPort}`;

    await until(() => stdout.includes('"platform adapter started"'), `npm start; stderr: ${stderr}`);
    expect((await fetch(`${health}/readyz`)).status).toBe(200);

    const image = await readFile(fixture('waterview.jpg'));
    const interaction = runSlashCommand(
      discord,
      { channelId: channel.id, user: newUser() },
      'describe',
      {},
      { image: { filename: 'waterview.jpg', contentType: 'image/jpeg', data: image } },
    );
    await until(() => ollama.openStreams > 0, 'the answer to start streaming');

    const metrics = await (await fetch(`${health}/metrics`)).text();
    for (const name of [
      'iris_jobs_total',
      'iris_model_first_token_seconds',
      'iris_platform_api_errors_total',
    ]) {
      expect(metrics).toContain(`# TYPE ${name} `);
    }

    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const logs = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs.some((line) => line.msg === 'job done' && line.interaction === interaction.id)).toBe(true);
    expect(logs.at(-1)).toMatchObject({ msg: 'stopped', reason: 'SIGTERM' });
    const thread = interaction.originalMessageId as string;
    expect(
      discord
        .channelMessages(thread)
        .map((message) => message.content)
        .join(''),
    ).toContain('their reflection shimmers on the surface.');
  });
});
