import { crc32 } from 'node:zlib';
import { type ImageLimits, normalizeImage } from '../src/image/normalizeImage.js';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * Builds a "pixel bomb": a valid PNG header that declares width × height pixels, padded to `fileBytes`
 * with a data chunk that would only be read if the decoder went ahead.
 */
export function pixelBomb(width: number, height: number, fileBytes = 1024 * 1024): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const head = Buffer.concat([signature, chunk('IHDR', header)]);
  const padding = Math.max(0, fileBytes - head.length - 12 - 12);
  return Buffer.concat([head, chunk('IDAT', Buffer.alloc(padding)), chunk('IEND', Buffer.alloc(0))]);
}

export interface BombFigure {
  width: number;
  height: number;
  outcome: string;
  /** Milliseconds to reject one bomb, slowest of the runs. */
  maxRejectMs: number;
  /** Resident set size before and at its peak while rejecting, in MiB. */
  rssBeforeMb: number;
  rssPeakMb: number;
}

/** Rejects a pixel bomb `runs` times and records the slowest rejection and the peak RSS. */
export async function benchPixelBomb(
  width: number,
  height: number,
  limits: ImageLimits,
  runs = 20,
): Promise<BombFigure> {
  const bomb = pixelBomb(width, height);
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let maxRejectMs = 0;
  let outcome = 'accepted';
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 1);
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    try {
      await normalizeImage(bomb, limits);
    } catch (error) {
      outcome = (error as { code?: string }).code ?? String(error);
    }
    maxRejectMs = Math.max(maxRejectMs, performance.now() - started);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }
  clearInterval(sampler);
  const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;
  return { width, height, outcome, maxRejectMs, rssBeforeMb: mb(rssBefore), rssPeakMb: mb(rssPeak) };
}
