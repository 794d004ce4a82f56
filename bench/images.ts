import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatImageIntake, runImageIntake } from './imageIntake.js';

// Image intake figures only: normaliser time per fixture and memory while rejecting pixel bombs.
// Runs from dist/bench/, so the repo root is two folders up.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturesDir = process.env.IRIS_FIXTURES_DIR ?? path.resolve(repoRoot, 'test/fixtures/images');

const figures = await runImageIntake(fixturesDir);
process.stdout.write(formatImageIntake(figures));
process.stdout.write(`${JSON.stringify(figures)}\n`);
