import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ANSWER, startOllamaServer } from '../servers/ollama.js';
import { APP_TOKEN, BOT_TOKEN, CHANNEL, type Mode, readFixture, SIGNING_SECRET, USER } from './harness.js';
import { eventCallback, mentionEvent } from './localSlack/payloads.js';
import { postSigned } from './localSlack/signedRequests.js';
import { startLocalSlack } from './localSlack/startLocalSlack.js';

// `npm start` runs dist/, which `npm test` builds first (pretest).
const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/adapters/main.js');
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each<Mode>(['socket', 'http'])('npm start with Slack (%s mode)', (mode) => {
  it('connects, answers a mention in its thread and stops on SIGTERM', async () => {
    const slack = await startLocalSlack({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    cleanups.push(() => slack.close());
    slack.workspace.memberOf.add(CHANNEL);
    slack.workspace.users.set(USER, { isAdmin: false });
    const ollama = await startOllamaServer({ scenario: { tokenDelayMs: 5 } });
    cleanups.push(() => ollama.close());
    const port = await freePort();

    const child: ChildProcess = spawn(process.execPath, [main], {
      cwd: path.dirname(main),
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: BOT_TOKEN,
        ...(mode === 'socket' ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
        SLACK_API_URL: slack.apiUrl,
        SLACK_HOST: '127.0.0.1',
        SLACK_PORT: String(port),
        SLACK_FILE_HOSTS: '127.0.0.1',
        SLACK_EDIT_INTERVAL_MS: '100',
        OLLAMA_HOST: ollama.url,
        HEALTH_PORT: '0',
        STORE_URL: 'memory',
        USER_COOLDOWN_MS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

    await until(() => stdout.includes('"platform adapter started"'), `npm start; stderr: ${stderr}`);
    if (mode === 'socket') await until(() => slack.socketMode.connected, 'the Socket Mode connection');

    const { workspace } = slack;
    const file = workspace.addFile({
      name: 'waterview.jpg',
      mimetype: 'image/jpeg',
      bytes: await readFixture('waterview.jpg'),
      user: USER,
    });
    const message = workspace.addUserMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${workspace.ids.botUserId}>`,
      files: [file],
    });
    const event = eventCallback(workspace, mentionEvent(workspace, message));
    if (mode === 'socket') {
      expect((await slack.socketMode.send('events_api', event)).acked).toBe(true);
    } else {
      const response = await postSigned(`http://127.0.0.1:${port}/slack/events`, 'events_api', event, {
        signingSecret: SIGNING_SECRET,
      });
      expect(response.status).toBe(200);
    }

    await until(
      () => (workspace.thread(CHANNEL, message.ts).at(-1)?.text ?? '').includes(DEFAULT_ANSWER),
      'the streamed answer in the thread',
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout + stderr).not.toContain(BOT_TOKEN);
    expect(stdout + stderr).not.toContain(APP_TOKEN);
  });
});
