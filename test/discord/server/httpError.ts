/** An error answer in Discord's shape: `{ message, code, errors? }` with an HTTP status. */
export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }

  get body(): Record<string, unknown> {
    return { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

/** The status and message Discord uses for each error code the tests inject. */
export const knownErrors: Record<number, { status: number; message: string }> = {
  10003: { status: 404, message: 'Unknown Channel' },
  10008: { status: 404, message: 'Unknown Message' },
  10015: { status: 404, message: 'Unknown Webhook' },
  10062: { status: 404, message: 'Unknown interaction' },
  40005: { status: 413, message: 'Request entity too large' },
  40060: { status: 400, message: 'Interaction has already been acknowledged.' },
  50001: { status: 403, message: 'Missing Access' },
  50006: { status: 400, message: 'Cannot send an empty message' },
  50013: { status: 403, message: 'Missing Permissions' },
  50027: { status: 401, message: 'Invalid Webhook Token' },
  50035: { status: 400, message: 'Invalid Form Body' },
  50083: { status: 400, message: 'Thread is archived' },
  160004: { status: 400, message: 'A thread has already been created for this message' },
  160005: { status: 400, message: 'Thread is locked' },
};

export function discordError(code: number, errors?: Record<string, unknown>): DiscordHttpError {
  const known = knownErrors[code] ?? { status: 400, message: `Error ${code}` };
  return new DiscordHttpError(known.status, code, known.message, errors);
}
