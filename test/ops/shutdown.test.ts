import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalOllama, startOllamaServer } from '../servers/ollama.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const childScript = path.join(repoRoot, 'test/ops/serviceChild.mjs');
const mainScript = path.join(repoRoot, 'dist/adapters/main.js');

interface RunningChild {
  child: ChildProcess;
  /** Parsed JSON lines from stdout: log lines and `{ test: event }` markers. */
  lines: Array<Record<string, unknown>>;
  stderr: () => string;
  /** Resolves when a stdout line matches, or rejects after `timeoutMs` with what was seen. */
  waitFor: (match: (line: Record<string, unknown>) => boolean, timeoutMs?: number) => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];
let ollama: LocalOllama;

beforeAll(() => {
  if (!existsSync(path.join(repoRoot, 'dist/src/lifecycle/startService.js'))) {
    throw new Error('dist/ is missing the service lifecycle: run `npm run build` before these tests');
  }
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await ollama?.close();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function spawnNode(script: string, env: Record<string, string>): RunningChild {
  // A clean environment: no token or .env of the developer's shell reaches the child.
  const child = spawn(process.execPath, [script], {
    cwd: repoRoot,
    // STORE_URL=memory keeps the child from writing an SQLite file into the repository's data/.
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', STORE_URL: 'memory', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);

  const lines: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts) {
      if (part.trim() === '') continue;
      try {
        lines.push(JSON.parse(part) as Record<string, unknown>);
      } catch {
        lines.push({ raw: part });
      }
    }
    for (const wake of waiters) wake();
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const waitFor = (match: (line: Record<string, unknown>) => boolean, timeoutMs = 15_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!lines.some(match)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching line; stdout: ${JSON.stringify(lines)}; stderr: ${stderr}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      exited.then(() => {
        if (waiters.has(check)) {
          cleanup();
          reject(new Error(`child exited first; stdout: ${JSON.stringify(lines)}; stderr: ${stderr}`));
        }
      });
      check();
    });

  return { child, lines, stderr: () => stderr, waitFor, exited };
}

const marker = (event: string) => (line: Record<string, unknown>) => line.test === event;
/** The markers in order; `ready` is left out because the job may start before startService returns. */
const events = (child: RunningChild) =>
  child.lines
    .filter((line) => typeof line.test === 'string' && line.test !== 'ready')
    .map((line) => line.test);

async function startService(env: Record<string, string>): Promise<RunningChild & { healthUrl: string }> {
  const port = await freePort();
  const child = spawnNode(childScript, {
    HEALTH_HOST: '127.0.0.1',
    HEALTH_PORT: String(port),
    OLLAMA_HOST: ollama.url,
    VISION_MODEL: 'llava',
    ...env,
  });
  await child.waitFor(marker('ready'));
  // Log lines are written asynchronously, so they may trail the marker.
  await child.waitFor((line) => line.msg === 'platform adapter started');
  return { ...child, healthUrl: `http://127.0.0.1:${port}` };
}

describe('graceful shutdown', () => {
  it('lets a running job finish on SIGTERM, then exits 0', async () => {
    ollama = await startOllamaServer();
    const service = await startService({ TEST_JOB_MS: '1500', SHUTDOWN_GRACE_MS: '20000' });
    await service.waitFor(marker('job started'));

    expect((await fetch(`${service.healthUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${service.healthUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(
      ((await ready.json()) as { checks: Array<{ name: string }> }).checks.map((check) => check.name),
    ).toEqual(expect.arrayContaining(['lifecycle', 'vision backend']));

    service.child.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(events(service)).toEqual(['job started', 'adapter stopped', 'job finished', 'adapter closed']);
    expect(service.lines.some((line) => line.msg === 'stopped' && line.reason === 'SIGTERM')).toBe(true);
    await expect(fetch(`${service.healthUrl}/healthz`)).rejects.toThrow();
  });

  it('aborts a job still running after the grace period, then exits 0', async () => {
    ollama = await startOllamaServer();
    const service = await startService({ TEST_JOB_MS: '0', SHUTDOWN_GRACE_MS: '300' });
    await service.waitFor(marker('job started'));

    service.child.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(events(service)).toEqual(['job started', 'adapter stopped', 'job saved', 'adapter closed']);
    const drained = service.lines.find((line) => String(line.msg).startsWith('grace period ended'));
    expect(drained).toMatchObject({ finished: 0, aborted: 1 });
  });

  it('exits at once on a second signal', async () => {
    ollama = await startOllamaServer();
    const service = await startService({ TEST_JOB_MS: '0', SHUTDOWN_GRACE_MS: '60000' });
    await service.waitFor(marker('job started'));

    service.child.kill('SIGTERM');
    await service.waitFor(marker('adapter stopped'));
    service.child.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 143, signal: null });
    expect(events(service)).not.toContain('adapter closed');
    expect(service.lines.some((line) => String(line.msg).startsWith('second signal'))).toBe(true);
  });

  it('stops the same way on SIGINT', async () => {
    ollama = await startOllamaServer();
    const service = await startService({ TEST_JOB_MS: '1', SHUTDOWN_GRACE_MS: '5000' });
    await service.waitFor(marker('job finished'));

    service.child.kill('SIGINT');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.lines.some((line) => line.msg === 'stopped' && line.reason === 'SIGINT')).toBe(true);
  });
});

describe('start-up checks', () => {
  it('logs each check and reports a down backend only in readiness', async () => {
    ollama = await startOllamaServer();
    const closedPort = await freePort();
    const service = await startService({
      OLLAMA_HOST: `http://127.0.0.1:${closedPort}`,
      TEST_JOB_MS: '1',
      SHUTDOWN_GRACE_MS: '5000',
    });

    const checks = service.lines.filter((line) => typeof line.check === 'string');
    expect(checks.map((line) => line.check)).toEqual(['configuration', 'vision model', 'image model']);
    expect(checks.find((line) => line.check === 'vision model')).toMatchObject({
      level: 40,
      code: 'VISION_UNREACHABLE',
    });
    expect(checks.find((line) => line.check === 'image model')).toMatchObject({
      code: 'IMAGINE_NOT_CONFIGURED',
    });

    expect((await fetch(`${service.healthUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${service.healthUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not ready', failing: ['vision backend'] });

    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  });

  it('stops on a misconfiguration and names the fix', async () => {
    ollama = await startOllamaServer();
    const child = spawnNode(childScript, {
      HEALTH_PORT: String(await freePort()),
      OLLAMA_HOST: ollama.url,
      VISION_MODEL: 'llama3',
    });

    expect((await child.exited).code).toBe(1);
    expect(child.stderr()).toContain('start-up check failed, so Iris did not start');
    expect(child.stderr()).toContain('vision model: Model llama3 cannot take images.');
    expect(child.stderr()).toContain('fix: Set VISION_MODEL to a vision model');
    expect(events(child)).not.toContain('job started');
  });
});

describe('npm start', () => {
  it('exits 1 naming the tokens when no platform is configured', async () => {
    if (!existsSync(mainScript)) throw new Error('dist/adapters/main.js is missing: run `npm run build`');
    const child = spawnNode(mainScript, {});
    expect((await child.exited).code).toBe(1);
    expect(child.stderr()).toContain('no platform is configured. Set DISCORD_TOKEN');
  });

  it('rejects an invalid HEALTH_PORT with an example', async () => {
    const child = spawnNode(mainScript, { HEALTH_PORT: 'ninety' });
    expect((await child.exited).code).toBe(1);
    expect(child.stderr()).toContain('HEALTH_PORT');
    expect(child.stderr()).toContain('(example: HEALTH_PORT=9464)');
  });
});
