import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Real images shared by the team's projects; read-only. */
export const fixturesDir = path.resolve(repoRoot, '../shared/fixtures/images');
export const fixture = (name: string) => path.join(fixturesDir, name);
