import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';
import { deleteKeysWithPrefix, noRedisReason, redisUrl, uniquePrefix } from './helpers.js';

const childScript = join(repoRoot, 'test/core/burstChild.mjs');
const compiledCore = join(repoRoot, 'dist/src/queue/createJobSystem.js');

interface ChildReport {
  admitted: number;
  refused: number;
  reasons: string[];
}

describe.skipIf(!redisUrl)(
  `three processes on one Redis (${redisUrl ? 'REDIS_URL set' : noRedisReason})`,
  () => {
    const prefix = uniquePrefix('burst');
    afterAll(async () => {
      if (redisUrl) await deleteKeysWithPrefix(redisUrl, prefix);
    });

    it('admit exactly 20 of 50 simultaneous requests', async () => {
      expect(existsSync(compiledCore), 'run `npm run build` first: the child processes load dist/').toBe(
        true,
      );
      const shares = [17, 17, 16];

      const children = shares.map((count, index) => {
        const child = spawn(
          process.execPath,
          [childScript, redisUrl ?? '', prefix, `process-${index}`, String(count)],
          {
            cwd: repoRoot,
            stdio: ['pipe', 'pipe', 'inherit'],
          },
        );
        const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
        // Listen now: a child may exit before the test reads its report.
        const exited = new Promise((resolve) => child.once('exit', resolve));
        return { child, lines, exited };
      });

      // Every process connects first, so the requests of all three overlap.
      for (const { lines } of children) expect((await lines.next()).value).toBe('ready');
      for (const { child } of children) child.stdin.write('go\n');

      const reports: ChildReport[] = [];
      for (const { child, lines, exited } of children) {
        reports.push(JSON.parse(String((await lines.next()).value)));
        child.stdin.end();
        await exited;
      }

      const admitted = reports.reduce((sum, report) => sum + report.admitted, 0);
      console.info(
        `[measure] Redis store, 3 processes: ${admitted} of 50 admitted with budget 20 (per process: ${reports.map((report) => report.admitted).join(', ')})`,
      );
      expect(admitted).toBe(20);
      expect(reports.reduce((sum, report) => sum + report.refused, 0)).toBe(30);
      expect(new Set(reports.flatMap((report) => report.reasons))).toEqual(new Set(['guild-budget']));
    });
  },
);
