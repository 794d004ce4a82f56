import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, repoRoot } from '../helpers/paths.js';
import { type LocalHuggingFace, startHuggingFaceServer } from '../servers/huggingface.js';
import { DEFAULT_ANSWER, type LocalOllama, startOllamaServer } from '../servers/ollama.js';

// The CLI runs from dist/, which `npm test` builds first (pretest).
const bin = path.join(repoRoot, 'bin/iris.js');

let ollama: LocalOllama;
let hf: LocalHuggingFace;
let workDir: string;

beforeAll(async () => {
  [ollama, hf] = await Promise.all([startOllamaServer(), startHuggingFaceServer()]);
  workDir = await mkdtemp(path.join(tmpdir(), 'iris-cli-'));
});
afterAll(async () => {
  await Promise.all([ollama.close(), hf.close(), rm(workDir, { recursive: true, force: true })]);
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds between the start and the first byte on stdout. */
  firstOutputMs?: number;
}

function iris(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...args], {
      // A temp working directory, so no developer .env file is read.
      cwd: workDir,
      env: {
        PATH: process.env.PATH ?? '',
        OLLAMA_HOST: ollama.url,
        HF_TOKEN: hf.token,
        HF_ENDPOINT_URL: hf.endpointUrl,
        HF_HUB_URL: hf.url,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { code: null, stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => {
      run.firstOutputMs ??= performance.now() - started;
      run.stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      run.stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ ...run, code }));
  });
}

function expectOneErrorLine(run: Run, pattern: RegExp): void {
  expect(run.code).toBe(1);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^iris: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('iris describe', () => {
  it('streams the answer for waterview.jpg', async () => {
    ollama.scenario = { tokenDelayMs: 20 };
    const run = await iris(['describe', fixture('waterview.jpg')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${DEFAULT_ANSWER}\n`);
    expect(ollama.chats.at(-1)?.messages[0]?.imageMagic).toEqual(['jpeg']);
  });

  it('uses the mode and question', async () => {
    ollama.scenario = { text: 'const x = 1;' };
    await iris(['describe', fixture('code-screenshot.png'), '--mode', 'code']);
    expect(ollama.chats.at(-1)?.messages[0]?.content).toMatch(/fenced Markdown code block/);
    await iris(['describe', fixture('waterview.jpg'), '--mode', 'code', '--question', 'How many boats?']);
    expect(ollama.chats.at(-1)?.messages[0]?.content).toBe(
      'Answer this question about the image: How many boats?',
    );
  });

  it('says when only the first frame was used', async () => {
    ollama.scenario = {};
    const run = await iris(['describe', fixture('animated-loop-3.gif')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/only the first frame/);
  });

  it('rejects a corrupt file with one line', async () => {
    const run = await iris(['describe', fixture('corrupt-header.jpg')]);
    expectOneErrorLine(run, /Could not read this image/);
  });

  it('rejects an unknown mode', async () => {
    expectOneErrorLine(
      await iris(['describe', fixture('waterview.jpg'), '--mode', 'poem']),
      /Unknown mode "poem"/,
    );
  });

  it('reports a missing file', async () => {
    expectOneErrorLine(
      await iris(['describe', path.join(workDir, 'nope.jpg')]),
      /Cannot read .*nope\.jpg: ENOENT/,
    );
  });

  it('names ollama pull for a missing model', async () => {
    const run = await iris(['describe', fixture('waterview.jpg')], { VISION_MODEL: 'llava:13b' });
    expectOneErrorLine(run, /ollama pull llava:13b/);
  });

  it('names the host when Ollama is down', async () => {
    const run = await iris(['describe', fixture('waterview.jpg')], { OLLAMA_HOST: '127.0.0.1:9' });
    expectOneErrorLine(run, /Ollama at http:\/\/127\.0\.0\.1:9 is unreachable/);
  });

  it('keeps a cut answer and says it is incomplete', async () => {
    ollama.scenario = { stallAfterTokens: 3 };
    const run = await iris(['describe', fixture('waterview.jpg')], { DESCRIBE_STALL_MS: '500' });
    expect(run.code).toBe(1);
    expect(run.stdout.split(' ').length).toBeGreaterThanOrEqual(3);
    expect(run.stderr).toMatch(/^iris: the answer above is incomplete: No token/);
  });

  it('prints the stack only at debug level', async () => {
    const run = await iris(['describe', fixture('corrupt-header.jpg')], { LOG_LEVEL: 'debug' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});

describe('iris imagine', () => {
  it('writes numbered PNGs and prints each seed', async () => {
    const out = path.join(workDir, 'fox.png');
    const run = await iris([
      'imagine',
      'a red fox in snow',
      '--count',
      '2',
      '--seed',
      '100',
      '--size',
      '512x768',
      '--out',
      out,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `${path.join(workDir, 'fox-1.png')}\tseed 100\n${path.join(workDir, 'fox-2.png')}\tseed 101\n`,
    );
    const metadata = await sharp(await readFile(path.join(workDir, 'fox-2.png'))).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['png', 512, 768]);
    expect(hf.generations.at(-1)?.inputs).toBe('a red fox in snow, mdjrny-v4 style');
  });

  it('prints a random seed when none is given', async () => {
    const out = path.join(workDir, 'one.png');
    const run = await iris(['imagine', 'a lighthouse', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/one\.png\tseed \d+\n$/);
  });

  it('reports the warm-up wait', async () => {
    hf.queue.push({ kind: 'loading', estimatedTime: 1 });
    const run = await iris(['imagine', 'a lighthouse', '--out', path.join(workDir, 'warm.png')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('iris: model warming up, about 1 s\n');
  });

  it('reports a filtered image and writes nothing', async () => {
    hf.queue.push({ kind: 'black' });
    const run = await iris(['imagine', 'a lighthouse', '--out', path.join(workDir, 'black.png')]);
    expectOneErrorLine(run, /safety filter/);
  });

  it('rejects a bad option with its range', async () => {
    expectOneErrorLine(
      await iris(['imagine', 'fox', '--steps', '99', '--out', 'x.png']),
      /steps must be from 10 to 50; got 99/,
    );
    expectOneErrorLine(await iris(['imagine', 'fox']), /Missing --out/);
  });

  it('never prints the token', async () => {
    const token = 'hf_ThisTokenIsWrong0000000';
    const run = await iris(['imagine', 'fox', '--out', path.join(workDir, 'x.png')], {
      HF_TOKEN: token,
      LOG_LEVEL: 'debug',
    });
    expectOneErrorLine(
      { ...run, stderr: run.stderr.split('\n')[0] as string },
      /HF_TOKEN is missing, invalid or revoked/,
    );
    expect(run.stdout + run.stderr).not.toContain(token);
  });
});

describe('iris doctor', () => {
  it('passes with both backends up', async () => {
    const run = await iris(['doctor']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok {2}configuration/m);
    expect(run.stdout).toMatch(
      /^ok {2}vision model: llava on http:\/\/127\.0\.0\.1:\d+ is pulled and accepts images/m,
    );
    expect(run.stdout).toMatch(/^ok {2}image model: prompthero\/openjourney via the endpoint/m);
  });

  it('says what to fix', async () => {
    const run = await iris(['doctor'], {
      VISION_MODEL: 'llama3',
      HF_ENDPOINT_URL: '',
      HF_PROVIDER: 'fal-ai',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^ERR vision model: Model llama3 cannot take images\.\n {4}fix: Set VISION_MODEL to a vision model/m,
    );
    expect(run.stdout).toMatch(/^ERR image model: .*served by: hf-inference/m);
    expect(run.stdout).toMatch(/fix: Provider "fal-ai" does not serve prompthero\/openjourney/);
  });

  it('stops on an invalid setting, naming it', async () => {
    const run = await iris(['doctor'], { OLLAMA_HOST: 'ftp://nowhere' });
    expectOneErrorLine(
      run,
      /invalid configuration: OLLAMA_HOST is not a host, host:port or http\(s\) URL \(example: OLLAMA_HOST=http:\/\/127\.0\.0\.1:11434\)/,
    );
  });
});

describe('iris usage', () => {
  it('prints help and exits 0', async () => {
    const run = await iris(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/iris describe <image-file>/);
  });

  it('rejects an unknown command', async () => {
    expectOneErrorLine(await iris(['paint']), /unknown command "paint"/);
  });
});
