import { fileTypeFromBuffer } from 'file-type';

/** Image formats accepted by the normaliser, as sharp names them. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'heif' | 'tiff';

export type DetectedFormat =
  | { kind: 'image'; format: ImageFormat; label: string }
  | { kind: 'unsupported'; label: string }
  | { kind: 'unknown' };

const SUPPORTED: Record<string, { format: ImageFormat; label: string }> = {
  jpg: { format: 'jpeg', label: 'JPEG' },
  png: { format: 'png', label: 'PNG' },
  apng: { format: 'png', label: 'APNG' },
  webp: { format: 'webp', label: 'WebP' },
  gif: { format: 'gif', label: 'GIF' },
  avif: { format: 'heif', label: 'AVIF' },
  heic: { format: 'heif', label: 'HEIC' },
  tif: { format: 'tiff', label: 'TIFF' },
};

const LABELS: Record<string, string> = {
  pdf: 'a PDF document',
  zip: 'a ZIP archive',
  mp4: 'an MP4 video',
  mov: 'a QuickTime video',
  webm: 'a WebM video',
  mp3: 'an MP3 audio file',
  bmp: 'a BMP image',
  ico: 'an ICO icon',
  psd: 'a Photoshop document',
  jxl: 'a JPEG XL image',
  jp2: 'a JPEG 2000 image',
  xml: 'an XML document',
};

// How many leading bytes are scanned for SVG or text: enough for an XML prolog and comments.
const TEXT_SNIFF_BYTES = 4096;

function looksLikeSvg(head: string): boolean {
  return /<svg[\s>]/i.test(head);
}

function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, TEXT_SNIFF_BYTES);
  for (const byte of head) {
    // Control bytes other than tab, newline and carriage return do not occur in text.
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) return false;
  }
  return head.length > 0;
}

/** Detects the format from the bytes alone; the file name and declared content type are never consulted. */
export async function detectFormat(bytes: Uint8Array): Promise<DetectedFormat> {
  const head = Buffer.from(bytes.subarray(0, TEXT_SNIFF_BYTES)).toString('utf8');
  if (looksLikeSvg(head)) return { kind: 'unsupported', label: 'an SVG image' };

  const type = await fileTypeFromBuffer(bytes);
  if (type !== undefined) {
    const supported = SUPPORTED[type.ext];
    if (supported) return { kind: 'image', ...supported };
    return {
      kind: 'unsupported',
      label: LABELS[type.ext] ?? `a ${type.ext.toUpperCase()} file (${type.mime})`,
    };
  }

  if (/^\s*<(!doctype html|html)[\s>]/i.test(head)) return { kind: 'unsupported', label: 'an HTML page' };
  if (looksLikeText(bytes)) return { kind: 'unsupported', label: 'a text file' };
  return { kind: 'unknown' };
}
