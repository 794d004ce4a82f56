import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const figuresFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../data/slack-figures.tsv',
);

/**
 * Appends a measured figure to data/slack-figures.tsv (git-ignored). Tests record figures here instead
 * of asserting on timing.
 */
export function recordFigure(name: string, value: number | undefined): void {
  if (value === undefined) return;
  try {
    appendFileSync(figuresFile, `${new Date().toISOString()}\t${name}\t${value.toFixed(1)}\n`);
  } catch {
    // The data folder may be missing on a fresh clone; figures are optional.
  }
}
