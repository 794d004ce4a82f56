import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchNormalize } from './normalizeImages.js';
import { benchPixelBomb } from './pixelBomb.js';

// Image intake figures: normaliser time per fixture and memory while rejecting pixel bombs.
// Runs from dist/bench/, so the repo root is two folders up.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturesDir = process.env.IRIS_FIXTURES_DIR ?? path.resolve(repoRoot, '../shared/fixtures/images');
const limits = { maxBytes: 25 * 1024 * 1024, maxPixels: 40_000_000, maxSide: 1344 };

const bombs = [await benchPixelBomb(20_000, 14_000, limits), await benchPixelBomb(65_535, 65_535, limits)];
const normalize = await benchNormalize(fixturesDir, limits);

process.stdout.write('file                           outcome                  p50 ms   max ms\n');
for (const figure of normalize) {
  process.stdout.write(
    `${figure.file.padEnd(30)} ${figure.outcome.padEnd(24)} ${figure.p50Ms.toFixed(1).padStart(6)} ${figure.maxMs.toFixed(1).padStart(8)}\n`,
  );
}
for (const bomb of bombs) {
  process.stdout.write(
    `pixel bomb ${bomb.width}x${bomb.height}: ${bomb.outcome}, slowest rejection ${bomb.maxRejectMs.toFixed(1)} ms, RSS ${bomb.rssBeforeMb} MiB before, ${bomb.rssPeakMb} MiB peak\n`,
  );
}
process.stdout.write(`${JSON.stringify({ normalize, bombs })}\n`);
