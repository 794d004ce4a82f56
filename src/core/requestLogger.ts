import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger.js';

/** Ids that tie a log line to one request; absent ones are left out. */
export interface RequestIds {
  platform: 'discord' | 'slack' | 'cli';
  /** Discord guild id or Slack team (workspace) id. */
  guild?: string;
  channel?: string;
  user?: string;
  /** Discord interaction id, Slack event id or trigger id. */
  interaction?: string;
  job?: string;
  command?: string;
}

export function newJobId(): string {
  return randomUUID();
}

/** A child logger that stamps every line with the request's ids. */
export function requestLogger(logger: Logger, ids: RequestIds): Logger {
  const fields = Object.fromEntries(Object.entries(ids).filter(([, value]) => value !== undefined));
  return logger.child(fields);
}
