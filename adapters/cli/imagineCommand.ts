import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { imagine } from '../../commands/imagine/imagine.js';
import { parseImagineOptions, type RawImagineOptions } from '../../commands/imagine/options.js';
import type { IrisCore } from '../../src/core/createCore.js';
import { IrisError } from '../../src/errors/IrisError.js';
import type { CliStreams } from './describeCommand.js';

/** FILE.png for one image; FILE-1.png, FILE-2.png, ... for several. */
export function outputPath(out: string, index: number, count: number): string {
  if (count === 1) return out;
  const extension = path.extname(out) || '.png';
  const base = out.slice(0, out.length - path.extname(out).length);
  return `${base}-${index + 1}${extension}`;
}

/** Writes the generated PNG(s) and prints the seed of each; returns the exit code. */
export async function imagineCommand(
  core: IrisCore,
  raw: RawImagineOptions & { out?: string },
  streams: CliStreams,
  signal: AbortSignal,
): Promise<number> {
  if (!raw.out) {
    throw new IrisError('INVALID_OPTION', 'Missing --out.', {
      userMessage: 'Missing --out FILE.png: say where to write the image.',
    });
  }
  const out = raw.out;
  const options = parseImagineOptions(raw);

  const result = await imagine(core.images, options, {
    trigger: core.config.IMAGINE_TRIGGER,
    signal,
    onWait: (notice) => {
      const seconds = Math.ceil(notice.waitMs / 1000);
      streams.stderr.write(
        notice.reason === 'loading'
          ? `iris: model warming up, about ${seconds} s\n`
          : `iris: rate limited, retrying in ${seconds} s\n`,
      );
    },
  });

  let written = 0;
  for (const [index, image] of result.images.entries()) {
    if (image.png === undefined) {
      streams.stderr.write(
        `iris: image ${index + 1} (seed ${image.seed}) was blocked by the safety filter and not written\n`,
      );
      continue;
    }
    const file = outputPath(out, index, result.images.length);
    await writeFile(file, image.png);
    written++;
    streams.stdout.write(`${file}\tseed ${image.seed}\n`);
  }
  return written === result.images.length ? 0 : 1;
}
