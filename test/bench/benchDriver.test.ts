import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mainScript = path.join(repoRoot, 'dist/adapters/main.js');
const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');

// A tiny load with fast simulated models: this checks that the driver runs end to end and reports,
// not what the figures are.
const tinyLoad = {
  BENCH_DESCRIBES: '4',
  BENCH_DESCRIBE_SPREAD_MS: '400',
  BENCH_DESCRIBE_GUILDS: '2',
  BENCH_IMAGINES: '4',
  BENCH_IMAGINE_SPREAD_MS: '200',
  BENCH_IMAGINE_GUILDS: '2',
  BENCH_TOKENS: '20',
  BENCH_TOKENS_PER_SECOND: '200',
  BENCH_IMAGE_DELAY_MS: '50',
  BENCH_SKIP_INTAKE: '1',
};

let folder: string | undefined;
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('bench driver', () => {
  it('runs a tiny load and reports', { timeout: 60_000 }, async () => {
    if (!existsSync(mainScript)) throw new Error('dist/adapters/main.js is missing: run `npm run build`');
    // Compiled into a folder of its own, so suites running the bot from dist/ never see a file half written.
    folder = await mkdtemp(path.join(repoRoot, 'dist/bench-smoke-'));
    await run(process.execPath, [tsc, '-p', 'tsconfig.bench.json', '--outDir', folder], { cwd: repoRoot });
    const resultsFile = path.join(folder, 'latest.json');

    const { stdout } = await run(process.execPath, [path.join(folder, 'bench/run.js')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...tinyLoad,
        REDIS_URL: '',
        BENCH_REPO_ROOT: repoRoot,
        BENCH_RESULTS_FILE: resultsFile,
      },
    });

    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
    for (const key of [
      'ack_p99_ms',
      'first_text_overhead_p50_ms',
      'edits_per_message_max',
      'discord_429',
      'lost_replies',
      'cpu_ms_per_describe',
      'normalize_ms_p50_large_photo',
      'rss_peak_mb',
    ]) {
      expect(summary).toHaveProperty(key);
    }
    expect(summary.lost_replies).toBe(0);
    const report = JSON.parse(await readFile(resultsFile, 'utf8')) as { passes: Array<{ label: string }> };
    expect(report.passes.map((pass) => pass.label)).toEqual(['sqlite']);
  });
});
