import { readFile } from 'node:fs/promises';
import { describe } from '../../commands/describe/describe.js';
import { parseDescribeOptions } from '../../commands/describe/options.js';
import type { IrisCore } from '../../src/core/createCore.js';
import { IrisError } from '../../src/errors/IrisError.js';
import { normalizeImage } from '../../src/image/normalizeImage.js';

export interface CliStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Streams the answer to stdout; returns the exit code. */
export async function describeCommand(
  core: IrisCore,
  file: string,
  raw: { mode?: string; question?: string },
  streams: CliStreams,
  signal: AbortSignal,
): Promise<number> {
  const options = parseDescribeOptions(raw);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new IrisError('INVALID_OPTION', `Cannot read ${file}: ${reason}.`, {
      userMessage: `Cannot read ${file}: ${reason}. Check the path and permissions.`,
      cause: error,
    });
  }

  const image = await normalizeImage(bytes, core.imageLimits);
  for (const note of image.notes) streams.stderr.write(`iris: ${note}\n`);

  for await (const event of describe(core.vision, { ...options, image }, signal)) {
    if (event.type === 'text') {
      streams.stdout.write(event.delta);
      continue;
    }
    streams.stdout.write('\n');
    if (event.error) {
      streams.stderr.write(
        `iris: the answer above is incomplete: ${event.error.message}${event.error.adminHint ? ` ${event.error.adminHint}` : ''}\n`,
      );
      return 1;
    }
  }
  return 0;
}
