import { benchNormalize, type NormalizeFigure } from './normalizeImages.js';
import { type BombFigure, benchPixelBomb } from './pixelBomb.js';

/** The normaliser's limits in the bench: the defaults of MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS and MAX_IMAGE_SIDE. */
export const benchLimits = { maxBytes: 25 * 1024 * 1024, maxPixels: 40_000_000, maxSide: 1344 };

export interface ImageIntakeFigures {
  normalize: NormalizeFigure[];
  bombs: BombFigure[];
}

/** Times the normaliser on every fixture and the rejection of two pixel bombs. */
export async function runImageIntake(fixturesDir: string): Promise<ImageIntakeFigures> {
  const bombs = [
    await benchPixelBomb(20_000, 14_000, benchLimits),
    await benchPixelBomb(65_535, 65_535, benchLimits),
  ];
  const normalize = await benchNormalize(fixturesDir, benchLimits);
  return { normalize, bombs };
}

/** Formats the image intake figures as terminal lines. */
export function formatImageIntake(figures: ImageIntakeFigures): string {
  const lines = ['file                           outcome                  p50 ms   max ms'];
  for (const figure of figures.normalize) {
    lines.push(
      `${figure.file.padEnd(30)} ${figure.outcome.padEnd(24)} ${figure.p50Ms.toFixed(1).padStart(6)} ${figure.maxMs.toFixed(1).padStart(8)}`,
    );
  }
  for (const bomb of figures.bombs) {
    lines.push(
      `pixel bomb ${bomb.width}x${bomb.height}: ${bomb.outcome}, slowest rejection ${bomb.maxRejectMs.toFixed(1)} ms, RSS ${bomb.rssBeforeMb} MiB before, ${bomb.rssPeakMb} MiB peak`,
    );
  }
  return `${lines.join('\n')}\n`;
}
