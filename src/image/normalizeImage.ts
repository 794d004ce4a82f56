import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { IrisError } from '../errors/IrisError.js';
import { detectFormat, type ImageFormat } from './formats.js';

export interface ImageLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Largest accepted image, in pixels (width × height of one frame). */
  maxPixels: number;
  /** Longest side of the image handed to the model, in pixels. */
  maxSide: number;
}

export interface NormalizedImage {
  /** Encoded bytes handed to the model: 8-bit sRGB, no metadata, upright. */
  data: Buffer;
  mimeType: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  source: { format: string; width: number; height: number; bytes: number };
  /** True when the source had several frames and only the first was kept. */
  firstFrameOnly: boolean;
  /** Facts worth telling the user about what was done to the image. */
  notes: string[];
}

// Formats whose source pixels were already lossy: re-encoding them as JPEG loses nothing a model can see.
const LOSSY_SOURCES = new Set<ImageFormat>(['jpeg', 'heif']);
// JPEG quality for photos; 90 keeps fine texture while staying a fraction of the PNG size.
const JPEG_QUALITY = 90;

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function unreadable(reason: string, cause?: unknown): IrisError {
  return new IrisError('IMAGE_UNREADABLE', `Could not read this image: ${reason}`, {
    userMessage: `Could not read this image: ${reason}. Please upload it again as a JPEG, PNG, WebP, GIF, AVIF or TIFF image.`,
    cause,
  });
}

function describeDecodeFailure(message: string): string {
  if (/truncated|premature end|unexpected end|end of file|read error/i.test(message))
    return 'the file is truncated';
  if (/corrupt|invalid|bad|not a|unsupported/i.test(message)) return 'the data is corrupt';
  return 'the data could not be decoded';
}

/**
 * Turns untrusted upload bytes into an image a vision model can take.
 *
 * The format comes from the bytes. Size and pixel count are checked against the header before the
 * pixels are decoded, so a small file that declares a huge canvas is rejected without allocating it.
 * The result is upright (EXIF orientation applied), 8-bit sRGB and flattened onto white. All metadata is
 * stripped, GPS position included. The longest side is at most `maxSide`. Photos are encoded as JPEG and
 * everything else as PNG, because lossless sources are often screenshots and PNG keeps the edges of small
 * text sharp where JPEG would blur them.
 */
export async function normalizeImage(bytes: Uint8Array, limits: ImageLimits): Promise<NormalizedImage> {
  if (bytes.length === 0) {
    throw new IrisError('IMAGE_EMPTY', 'The image file is empty.', {
      userMessage: 'Could not read this image: the file is empty (0 bytes). Please upload it again.',
    });
  }
  if (bytes.length > limits.maxBytes) {
    throw new IrisError(
      'IMAGE_TOO_LARGE',
      `Image is ${bytes.length} bytes, over the ${limits.maxBytes} byte limit.`,
      {
        userMessage: `This file is ${formatMiB(bytes.length)}, over the ${formatMiB(limits.maxBytes)} limit. Please upload a smaller image.`,
        details: { bytes: bytes.length, maxBytes: limits.maxBytes },
      },
    );
  }

  const detected = await detectFormat(bytes);
  if (detected.kind === 'unsupported') {
    throw new IrisError('IMAGE_UNSUPPORTED_FORMAT', `Unsupported format: ${detected.label}.`, {
      userMessage: `This file is ${detected.label}, not a supported image. Please upload a JPEG, PNG, WebP, GIF, AVIF or TIFF image.`,
      details: { format: detected.label },
    });
  }
  if (detected.kind === 'unknown') throw unreadable('the data is not in any image format');

  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw unreadable(describeDecodeFailure(String((error as Error).message)), error);
  }

  const width = metadata.width ?? 0;
  // For animations sharp reports the whole strip of frames; one frame is what gets decoded.
  const height = metadata.pageHeight ?? metadata.height ?? 0;
  if (width <= 0 || height <= 0) throw unreadable('the image has no pixels');
  if (width * height > limits.maxPixels) {
    throw new IrisError(
      'IMAGE_TOO_MANY_PIXELS',
      `Image declares ${width}×${height} pixels, over ${limits.maxPixels}.`,
      {
        userMessage: `This image is ${width}×${height} pixels (${((width * height) / 1e6).toFixed(0)} megapixels), over the ${(limits.maxPixels / 1e6).toFixed(0)} megapixel limit. Please upload a smaller image.`,
        details: { width, height, maxPixels: limits.maxPixels },
      },
    );
  }

  const frames = metadata.pages ?? 1;
  const firstFrameOnly = frames > 1;
  const lossy = LOSSY_SOURCES.has(detected.format);

  let pipeline = sharp(input, {
    // Both guards hold: the header check above and libvips' own limit while decoding.
    limitInputPixels: limits.maxPixels,
    pages: 1,
    failOn: 'error',
  })
    .autoOrient()
    .toColourspace('srgb')
    .flatten({ background: '#ffffff' })
    .resize({ width: limits.maxSide, height: limits.maxSide, fit: 'inside', withoutEnlargement: true });
  pipeline = lossy
    ? pipeline.jpeg({ quality: JPEG_QUALITY, mozjpeg: false })
    : pipeline.png({ compressionLevel: 6 });

  let output: { data: Buffer; info: OutputInfo };
  try {
    output = await pipeline.toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw unreadable(describeDecodeFailure(String((error as Error).message)), error);
  }

  const notes: string[] = [];
  if (firstFrameOnly)
    notes.push(`This is an animated image with ${frames} frames; only the first frame was described.`);

  return {
    data: output.data,
    mimeType: lossy ? 'image/jpeg' : 'image/png',
    width: output.info.width,
    height: output.info.height,
    source: { format: detected.label, width, height, bytes: bytes.length },
    firstFrameOnly,
    notes,
  };
}
