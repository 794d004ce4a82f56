import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Real photos and broken files, with their sources in the folder's README. */
export const fixturesDir = path.resolve(repoRoot, 'test/fixtures/images');
export const fixture = (name: string) => path.join(fixturesDir, name);
