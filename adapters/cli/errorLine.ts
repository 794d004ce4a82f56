import { ConfigError } from '../../src/config/load.js';
import { IrisError } from '../../src/errors/IrisError.js';

/**
 * Formats a failure as the one line the CLI prints on stderr: what failed and what to do. The person at
 * the terminal is the admin, so the admin hint is shown when there is one.
 */
export function errorLine(error: unknown): string {
  if (error instanceof ConfigError)
    return `iris: invalid configuration: ${error.problems.join('; ')}. See .env.example.`;
  if (error instanceof IrisError) {
    return error.adminHint ? `iris: ${error.message} ${error.adminHint}` : `iris: ${error.userMessage}`;
  }
  return `iris: ${error instanceof Error ? error.message : String(error)}`;
}
