import { crc32 } from 'node:zlib';

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
export function pngDeclaring(width: number, height: number, fileBytes = 1024): Buffer {
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
