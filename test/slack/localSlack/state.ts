/** The workspace the local Slack serves, and everything tests read back from it. */

export interface LocalFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  bytes: Buffer;
  altText?: string;
  user: string;
}

export interface LocalMessage {
  channel: string;
  ts: string;
  user?: string;
  bot_id?: string;
  text: string;
  thread_ts?: string;
  blocks?: unknown[];
  files?: Array<Record<string, unknown>>;
  /** chat.update calls that changed this message. */
  updates: number;
  /** Every text this message had, in order. */
  history: string[];
}

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  /** performance.now() when the request arrived, in milliseconds. */
  at: number;
  /** The Slack error answered, if any (`ratelimited` for a 429). */
  error?: string;
}

export interface InjectedError {
  method: string;
  error: string;
  /** How many calls get the error; each use counts down. */
  times: number;
  /** Retry-After in seconds; set for `ratelimited`, which is answered with HTTP 429. */
  retryAfterSeconds?: number;
}

/** Answers `ratelimited` (HTTP 429 with Retry-After) once a method is called too often in a window. */
export interface RateLimit {
  maxCalls: number;
  windowMs: number;
  retryAfterSeconds: number;
}

export interface Ephemeral {
  channel: string;
  user: string;
  text: string;
}

export interface WorkspaceIds {
  teamId: string;
  appId: string;
  botUserId: string;
  botId: string;
}

/** Slack's message timestamps: seconds and a six-digit suffix, unique and increasing. */
export class TimestampClock {
  private last = 0;

  next(): string {
    const micros = Math.max(Date.now() * 1000, this.last + 1);
    this.last = micros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }
}
