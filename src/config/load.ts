import { existsSync } from 'node:fs';
import { loadEnvFile } from 'node:process';
import { type Config, configExamples, configSchema, secretKeys } from './schema.js';

/** Thrown when a setting is missing or invalid; the message names each variable and a valid example. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\nSee .env.example for every setting.`,
    );
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** A dotenv file read before validation; variables already set in the environment win. */
  envFile?: string | false;
}

/** Reads and validates the configuration once, at start-up. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const envFile = options.envFile ?? '.env';
  if (options.env === undefined && envFile !== false && existsSync(envFile)) {
    // Node's loader leaves variables that are already set untouched.
    loadEnvFile(envFile);
  }
  const env = options.env ?? process.env;

  const result = configSchema.safeParse(env);
  if (result.success) return result.data;

  const problems = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '') as keyof Config;
    const example = configExamples[key];
    // Never echo the rejected value: it may be a token pasted into the wrong variable.
    return `${key} ${issue.message.replace(/^Invalid input: /, '')}${example ? ` (example: ${key}=${example})` : ''}`;
  });
  throw new ConfigError(problems);
}

/** The secret values in force, for redaction in logs and error text. */
export function secretValues(config: Config): string[] {
  return secretKeys
    .map((key) => config[key])
    .filter((value): value is string => typeof value === 'string' && value.length >= 6);
}
