/** Where Iris keeps its state, parsed from `STORE_URL`. */
export type StoreLocation =
  | { kind: 'memory' }
  /** An embedded SQLite database file; one process at a time. */
  | { kind: 'sqlite'; file: string }
  /** A Redis server shared by every process of the bot. */
  | { kind: 'redis'; url: string };

/**
 * Parses `STORE_URL`: `memory`, `sqlite://<file>` (a relative path is resolved against the working
 * directory, so `sqlite://data/iris.sqlite` is `./data/iris.sqlite`) or `redis://…` / `rediss://…`.
 * Throws on anything else; the config schema rejects those values before this runs.
 */
export function parseStoreUrl(url: string): StoreLocation {
  const trimmed = url.trim();
  if (trimmed === 'memory') return { kind: 'memory' };
  if (/^rediss?:\/\//.test(trimmed)) return { kind: 'redis', url: trimmed };

  const sqlite = /^sqlite:\/\/(.+)$/.exec(trimmed);
  if (sqlite?.[1] !== undefined) return { kind: 'sqlite', file: sqlite[1] };

  throw new Error('STORE_URL must be memory, sqlite://<file> or redis://<host>:<port>');
}

/** The URL with any password replaced, for log lines. */
export function describeStoreLocation(location: StoreLocation): string {
  if (location.kind === 'memory') return 'memory';
  if (location.kind === 'sqlite') return `sqlite://${location.file}`;
  return location.url.replace(/\/\/([^@/]*)@/, '//[redacted]@');
}
