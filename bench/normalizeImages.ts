import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { IrisError } from '../src/errors/IrisError.js';
import { type ImageLimits, normalizeImage } from '../src/image/normalizeImage.js';
import { percentile } from './stats.js';

export interface NormalizeFigure {
  file: string;
  outcome: string;
  /** Milliseconds per call over `runs` calls. */
  p50Ms: number;
  maxMs: number;
}

/** Times the normaliser on every fixture image, `runs` times each after one warm-up call. */
export async function benchNormalize(
  fixturesDir: string,
  limits: ImageLimits,
  runs = 10,
): Promise<NormalizeFigure[]> {
  const figures: NormalizeFigure[] = [];
  const files = (await readdir(fixturesDir)).filter((file) => !file.endsWith('.md')).sort();
  for (const file of files) {
    const bytes = await readFile(path.join(fixturesDir, file));
    let outcome = 'ok';
    const times: number[] = [];
    for (let run = -1; run < runs; run++) {
      const started = performance.now();
      try {
        const image = await normalizeImage(bytes, limits);
        outcome = `${image.mimeType} ${image.width}x${image.height}`;
      } catch (error) {
        outcome = error instanceof IrisError ? error.code : String(error);
      }
      if (run >= 0) times.push(performance.now() - started);
    }
    figures.push({ file, outcome, p50Ms: percentile(times, 50), maxMs: Math.max(...times) });
  }
  return figures;
}
