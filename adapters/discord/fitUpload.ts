import sharp from 'sharp';
import { IrisError } from '../../src/errors/IrisError.js';

export interface FittedImage {
  data: Buffer;
  contentType: 'image/png' | 'image/jpeg';
  extension: 'png' | 'jpg';
  /** True when the image was recompressed or scaled down to fit. */
  recompressed: boolean;
}

// JPEG qualities tried in turn before the image is scaled down.
const JPEG_QUALITIES = [90, 75, 60];
// Scale-downs tried in turn, each at the lowest quality; below 256 px the image is no longer useful.
const SCALES = [0.75, 0.5];

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;

/**
 * Makes a generated PNG fit `limitBytes`: as it is when it fits, else as JPEG at falling quality, then
 * scaled down. Throws IMAGE_TOO_LARGE, with a message saying so, when nothing fits.
 */
export async function fitUpload(png: Buffer, limitBytes: number): Promise<FittedImage> {
  if (png.length <= limitBytes)
    return { data: png, contentType: 'image/png', extension: 'png', recompressed: false };

  for (const quality of JPEG_QUALITIES) {
    const data = await sharp(png).jpeg({ quality }).toBuffer();
    if (data.length <= limitBytes)
      return { data, contentType: 'image/jpeg', extension: 'jpg', recompressed: true };
  }
  const { width = 512 } = await sharp(png).metadata();
  for (const scale of SCALES) {
    const data = await sharp(png)
      .resize({ width: Math.round(width * scale) })
      .jpeg({ quality: JPEG_QUALITIES.at(-1) })
      .toBuffer();
    if (data.length <= limitBytes)
      return { data, contentType: 'image/jpeg', extension: 'jpg', recompressed: true };
  }
  throw new IrisError(
    'IMAGE_TOO_LARGE',
    `Generated image does not fit the upload limit of ${limitBytes} bytes.`,
    {
      userMessage: `The generated image is ${mib(png.length)} and stays over this channel’s upload limit of ${mib(limitBytes)} even after compression, so it could not be posted.`,
      details: { bytes: png.length, limitBytes },
    },
  );
}
