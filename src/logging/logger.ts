import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  level: string;
  /** Secret values (tokens) scrubbed from every message and error text before it is written. */
  secrets?: readonly string[];
  /** Human-readable lines instead of JSON; defaults to whether stdout is a terminal. */
  pretty?: boolean;
  destination?: DestinationStream;
}

// Field paths that carry credentials in request objects that may end up in a log line.
const REDACTED_PATHS = [
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'config.HF_TOKEN',
  'config.DISCORD_TOKEN',
  'config.SLACK_BOT_TOKEN',
  'config.SLACK_APP_TOKEN',
  'config.SLACK_SIGNING_SECRET',
];

/** Replaces every occurrence of a secret value with `[redacted]`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) {
    if (secret.length > 0) scrubbed = scrubbed.split(secret).join('[redacted]');
  }
  return scrubbed;
}

function scrubValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value, secrets);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  // An Error's fields are not enumerable: serialise it first, or the copy below would be `{}`.
  if (value instanceof Error) return scrubValue(pino.stdSerializers.err(value), secrets, depth + 1);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = scrubValue(item, secrets, depth + 1);
  return copy;
}

/**
 * Creates the root logger. Children carry request ids (platform, guild, channel, user, job);
 * secrets are removed by key and by value, so a token inside an error message is redacted too.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const secrets = options.secrets ?? [];
  const pretty = options.pretty ?? (process.stdout.isTTY === true && options.destination === undefined);

  const loggerOptions: LoggerOptions = {
    level: options.level,
    base: undefined,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      err: (error: unknown) => scrubValue(pino.stdSerializers.err(error as Error), secrets),
    },
    formatters: {
      log: (object) =>
        secrets.length === 0 ? object : (scrubValue(object, secrets) as Record<string, unknown>),
    },
    hooks: {
      logMethod(args, method) {
        if (secrets.length > 0) {
          for (let index = 0; index < args.length; index++) {
            const arg = args[index];
            if (typeof arg === 'string') args[index] = scrubSecrets(arg, secrets);
          }
        }
        method.apply(this, args);
      },
    },
  };

  if (pretty) {
    return pino({
      ...loggerOptions,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  return options.destination ? pino(loggerOptions, options.destination) : pino(loggerOptions);
}
