import { z } from 'zod';
import { normalizeOllamaHost } from './ollamaHost.js';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const milliseconds = (defaultValue: number) => z.coerce.number().int().positive().default(defaultValue);

const hostList = (defaultValue: string) =>
  z
    .string()
    .default(defaultValue)
    .transform((value) =>
      value
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter((host) => host !== ''),
    );

const httpUrl = z.url({ protocol: /^https?$/ });

const booleanFlag = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .default(defaultValue ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * Every setting Iris reads from the environment, with its default.
 * `.env.example` documents each one with its unit; keep the two in step.
 */
export const configSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  // Health and metrics.
  /** Interface of the /healthz, /readyz and /metrics listener; 0.0.0.0 exposes it on every IPv4 interface. */
  HEALTH_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** TCP port of that listener; 0 turns it off. */
  HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
  /** How long shutdown waits for running jobs before it aborts them, in milliseconds. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),

  // Vision model served by Ollama.
  OLLAMA_HOST: z
    .string()
    .default('http://127.0.0.1:11434')
    .transform((value, context) => {
      const normalized = normalizeOllamaHost(value);
      if (normalized === undefined) {
        context.addIssue({ code: 'custom', message: 'is not a host, host:port or http(s) URL' });
        return z.NEVER;
      }
      return normalized;
    }),
  VISION_MODEL: z.string().trim().min(1).default('llava'),
  DESCRIBE_TIMEOUT_MS: milliseconds(180_000),
  DESCRIBE_STALL_MS: milliseconds(30_000),

  // Text-to-image model served through Hugging Face.
  HF_TOKEN: optionalText,
  IMAGE_MODEL: z.string().trim().min(1).default('prompthero/openjourney'),
  HF_PROVIDER: z.string().trim().min(1).default('hf-inference'),
  HF_ENDPOINT_URL: optionalText.pipe(httpUrl.optional()),
  HF_HUB_URL: httpUrl.default('https://huggingface.co'),
  IMAGINE_TIMEOUT_MS: milliseconds(120_000),
  IMAGINE_MAX_WAIT_MS: milliseconds(180_000),
  IMAGINE_TRIGGER: z.string().default('mdjrny-v4 style'),

  // Image intake.
  MAX_IMAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(25 * 1024 * 1024),
  MAX_IMAGE_PIXELS: z.coerce.number().int().positive().default(40_000_000),
  MAX_IMAGE_SIDE: z.coerce.number().int().min(64).max(8192).default(1344),
  DOWNLOAD_TIMEOUT_MS: milliseconds(20_000),

  // Discord adapter.
  DISCORD_TOKEN: optionalText,
  DISCORD_GUILD_ID: optionalText.pipe(
    z
      .string()
      .regex(/^\d{15,21}$/, 'must be a guild ID (digits)')
      .optional(),
  ),
  DISCORD_API_URL: httpUrl.default('https://discord.com/api'),
  DISCORD_CDN_HOSTS: hostList('cdn.discordapp.com,media.discordapp.net'),
  DISCORD_EDIT_INTERVAL_MS: milliseconds(1_000),
  DISCORD_MESSAGE_CONTENT: booleanFlag(false),
  /** Shortest time between two queue-position edits of an anchor message, in milliseconds. */
  DISCORD_ANCHOR_UPDATE_MS: milliseconds(3_000),
  /**
   * Status edits of anchor messages (queue position, "Working…") per second, for all jobs of the
   * process together. Final edits (done, failed, cancelled, interrupted) do not wait for this budget.
   * discord.js sends at most 50 calls per second per process, so a small share keeps the streamed
   * answers ahead of the status text.
   */
  DISCORD_ANCHOR_EDITS_PER_SECOND: z.coerce.number().positive().max(50).default(5),
  /** Edits of streamed answers per second for all streams together; first messages do not wait. */
  DISCORD_STREAM_EDITS_PER_SECOND: z.coerce.number().positive().max(50).default(25),

  // Discord sharding (`npm run start:sharded`).
  /** Shard processes to run: `auto` takes Discord's recommendation from GET /gateway/bot, or a count. */
  DISCORD_SHARD_COUNT: z
    .union([z.literal('auto'), z.coerce.number().int().min(1).max(1_000)])
    .default('auto'),

  // Slack adapter.
  SLACK_BOT_TOKEN: optionalText.pipe(z.string().startsWith('xoxb-', 'must start with xoxb-').optional()),
  SLACK_APP_TOKEN: optionalText.pipe(z.string().startsWith('xapp-', 'must start with xapp-').optional()),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_API_URL: httpUrl.default('https://slack.com/api/'),
  SLACK_PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Interface the HTTP receiver listens on (HTTP mode only); 0.0.0.0 is every IPv4 interface. */
  SLACK_HOST: z.string().trim().min(1).default('0.0.0.0'),
  SLACK_FILE_HOSTS: hostList('files.slack.com'),
  SLACK_EDIT_INTERVAL_MS: milliseconds(1_200),
  /** `chat.update` calls per minute for all streamed answers in one workspace (Slack's Tier 3 is about 50). */
  SLACK_UPDATES_PER_MINUTE: z.coerce.number().positive().max(600).default(50),

  // Storage, limits and queue.
  /** `sqlite://<file>` (embedded, one process), `redis://…` (shared by several processes) or `memory` (tests). */
  STORE_URL: z
    .string()
    .trim()
    .default('sqlite://data/iris.sqlite')
    .refine(
      (value) => value === 'memory' || /^sqlite:\/\/.+/.test(value) || /^rediss?:\/\/.+/.test(value),
      'must be memory, sqlite://<file> or redis://<host>:<port>',
    ),
  /** Prefix of every key Iris writes, so several bots can share one Redis. */
  STORE_KEY_PREFIX: z
    .string()
    .trim()
    .regex(/^[\w.-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores')
    .default('iris'),
  STORE_TIMEOUT_MS: milliseconds(2_000),
  OLLAMA_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(1),
  HF_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(2),
  IMAGINE_BUDGET: z.coerce.number().int().min(0).max(100_000).default(20),
  DESCRIBE_BUDGET: z.coerce.number().int().min(0).max(100_000).default(60),
  BUDGET_WINDOW_MS: milliseconds(3_600_000),
  USER_COOLDOWN_MS: z.coerce.number().int().min(0).default(10_000),
  GUILD_QUEUE_CAP: z.coerce.number().int().min(1).max(1_000).default(10),
});

export type Config = z.infer<typeof configSchema>;

/** A valid example per variable, shown when a value is rejected. */
export const configExamples: Record<keyof Config, string> = {
  LOG_LEVEL: 'info',
  HEALTH_HOST: '127.0.0.1',
  HEALTH_PORT: '9464',
  SHUTDOWN_GRACE_MS: '30000',
  OLLAMA_HOST: 'http://127.0.0.1:11434',
  VISION_MODEL: 'llava:13b',
  DESCRIBE_TIMEOUT_MS: '180000',
  DESCRIBE_STALL_MS: '30000',
  HF_TOKEN: 'hf_xxxxxxxxxxxxxxxxxxxxxxxx',
  IMAGE_MODEL: 'prompthero/openjourney',
  HF_PROVIDER: 'hf-inference',
  HF_ENDPOINT_URL: 'https://xxxx.us-east-1.aws.endpoints.huggingface.cloud',
  HF_HUB_URL: 'https://huggingface.co',
  IMAGINE_TIMEOUT_MS: '120000',
  IMAGINE_MAX_WAIT_MS: '180000',
  IMAGINE_TRIGGER: 'mdjrny-v4 style',
  MAX_IMAGE_BYTES: '26214400',
  MAX_IMAGE_PIXELS: '40000000',
  MAX_IMAGE_SIDE: '1344',
  DOWNLOAD_TIMEOUT_MS: '20000',
  DISCORD_TOKEN: 'MTEx...your-bot-token',
  DISCORD_GUILD_ID: '123456789012345678',
  DISCORD_API_URL: 'https://discord.com/api',
  DISCORD_CDN_HOSTS: 'cdn.discordapp.com,media.discordapp.net',
  DISCORD_EDIT_INTERVAL_MS: '1000',
  DISCORD_MESSAGE_CONTENT: 'false',
  DISCORD_ANCHOR_UPDATE_MS: '3000',
  DISCORD_ANCHOR_EDITS_PER_SECOND: '5',
  DISCORD_STREAM_EDITS_PER_SECOND: '25',
  DISCORD_SHARD_COUNT: 'auto',
  SLACK_BOT_TOKEN: 'xoxb-...',
  SLACK_APP_TOKEN: 'xapp-...',
  SLACK_SIGNING_SECRET: 'your-app-signing-secret',
  SLACK_API_URL: 'https://slack.com/api/',
  SLACK_PORT: '3000',
  SLACK_HOST: '0.0.0.0',
  SLACK_FILE_HOSTS: 'files.slack.com',
  SLACK_EDIT_INTERVAL_MS: '1200',
  SLACK_UPDATES_PER_MINUTE: '50',
  STORE_URL: 'redis://127.0.0.1:6379',
  STORE_KEY_PREFIX: 'iris',
  STORE_TIMEOUT_MS: '2000',
  OLLAMA_CONCURRENCY: '1',
  HF_CONCURRENCY: '2',
  IMAGINE_BUDGET: '20',
  DESCRIBE_BUDGET: '60',
  BUDGET_WINDOW_MS: '3600000',
  USER_COOLDOWN_MS: '10000',
  GUILD_QUEUE_CAP: '10',
};

/** Settings whose values are secrets: never logged, echoed or shown. */
export const secretKeys = [
  'HF_TOKEN',
  'DISCORD_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
] as const;
