import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/logging/logger.js';

const boltLevels: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

function joinArguments(parts: unknown[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : String(part))).join(' ');
}

/**
 * Adapts a pino logger to Bolt's logger interface, so Bolt, the Web API client and the Socket Mode
 * client write through Iris's logger and its secret redaction. Bolt's level follows pino's level.
 */
export function toBoltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  return {
    debug: (...parts: unknown[]) => child.debug(joinArguments(parts)),
    info: (...parts: unknown[]) => child.info(joinArguments(parts)),
    warn: (...parts: unknown[]) => child.warn(joinArguments(parts)),
    error: (...parts: unknown[]) => child.error(joinArguments(parts)),
    // Pino's level is the single source of truth; Bolt asks to change it only from its own options.
    setLevel: () => {},
    getLevel: () => boltLevels[child.level] ?? LogLevel.INFO,
    setName: () => {},
  };
}
