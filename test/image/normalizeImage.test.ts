import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { pixelBomb } from '../../bench/pixelBomb.js';
import { IrisError } from '../../src/errors/IrisError.js';
import { type ImageLimits, normalizeImage } from '../../src/image/normalizeImage.js';
import { fixture } from '../helpers/paths.js';

const limits: ImageLimits = { maxBytes: 25 * 1024 * 1024, maxPixels: 40_000_000, maxSide: 1344 };

async function rejection(bytes: Uint8Array, custom: ImageLimits = limits): Promise<IrisError> {
  const error = await normalizeImage(bytes, custom).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IrisError);
  return error as IrisError;
}

// Every fixture with what the normaliser must make of it.
const accepted: Array<{
  file: string;
  mimeType: string;
  width: number;
  height: number;
  firstFrameOnly?: boolean;
}> = [
  { file: 'extreme_ironing.jpg', mimeType: 'image/jpeg', width: 570, height: 380 },
  { file: 'waterview.jpg', mimeType: 'image/jpeg', width: 1000, height: 667 },
  { file: '2569067123_aca715a2ee_o.jpg', mimeType: 'image/jpeg', width: 1344, height: 1097 },
  { file: 'flowers.jpeg', mimeType: 'image/jpeg', width: 1344, height: 756 },
  { file: 'Landscape_6.jpg', mimeType: 'image/jpeg', width: 600, height: 450 },
  { file: 'with-alpha.png', mimeType: 'image/png', width: 256, height: 192 },
  { file: 'animated-loop-3.gif', mimeType: 'image/png', width: 370, height: 285, firstFrameOnly: true },
  { file: '4.webp', mimeType: 'image/png', width: 1024, height: 772 },
  { file: 'llava_v1_5_radar.jpg', mimeType: 'image/jpeg', width: 1024, height: 899 },
  { file: 'llava_example_cmp.png', mimeType: 'image/png', width: 1280, height: 720 },
  { file: 'code-screenshot.png', mimeType: 'image/png', width: 900, height: 290 },
  { file: 'architecture-diagram.png', mimeType: 'image/png', width: 820, height: 320 },
];

describe('normalizeImage with the shared fixtures', () => {
  it.each(accepted)('normalises $file', async ({ file, mimeType, width, height, firstFrameOnly }) => {
    const image = await normalizeImage(await readFile(fixture(file)), limits);
    expect(image.mimeType).toBe(mimeType);
    expect([image.width, image.height]).toEqual([width, height]);
    expect(image.firstFrameOnly).toBe(firstFrameOnly ?? false);

    const metadata = await sharp(image.data).metadata();
    expect(metadata.format).toBe(mimeType === 'image/jpeg' ? 'jpeg' : 'png');
    expect(metadata.space).toBe('srgb');
    expect(metadata.depth).toBe('uchar');
    expect(metadata.hasAlpha).toBe(false);
    expect(metadata.exif).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
  });

  it('says only the first frame of an animation was used', async () => {
    const image = await normalizeImage(await readFile(fixture('animated-loop-3.gif')), limits);
    expect(image.notes.join(' ')).toMatch(/animated image with 10 frames; only the first frame/);
  });

  it('flattens transparency onto white', async () => {
    const image = await normalizeImage(await readFile(fixture('with-alpha.png')), limits);
    const source = await sharp(fixture('with-alpha.png')).raw().toBuffer({ resolveWithObject: true });
    const output = await sharp(image.data).raw().toBuffer({ resolveWithObject: true });
    // Blending onto white: out = alpha × colour + (1 − alpha) × 255. Check the most transparent pixel.
    const channels = source.info.channels;
    let pixel = 0;
    for (let index = 0; index < source.info.width * source.info.height; index++) {
      if ((source.data[index * channels + 3] as number) < (source.data[pixel * channels + 3] as number))
        pixel = index;
    }
    const alpha = (source.data[pixel * channels + 3] as number) / 255;
    expect(alpha).toBeLessThan(1);
    for (let channel = 0; channel < 3; channel++) {
      const expected = alpha * (source.data[pixel * channels + channel] as number) + (1 - alpha) * 255;
      expect(Math.abs((output.data[pixel * 3 + channel] as number) - expected)).toBeLessThanOrEqual(3);
    }
  });

  it('rejects corrupt-header.jpg as unreadable', async () => {
    const error = await rejection(await readFile(fixture('corrupt-header.jpg')));
    expect(error.code).toBe('IMAGE_UNREADABLE');
    expect(error.userMessage).toMatch(/^Could not read this image: /);
  });

  it('rejects truncated.png as truncated', async () => {
    const error = await rejection(await readFile(fixture('truncated.png')));
    expect(error.code).toBe('IMAGE_UNREADABLE');
    expect(error.userMessage).toMatch(/truncated/);
  });

  it('rejects the README, a text file, naming the format', async () => {
    const error = await rejection(await readFile(fixture('README.md')));
    expect(error.code).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(error.userMessage).toMatch(/a text file, not a supported image/);
  });
});

describe('normalizeImage with crafted inputs', () => {
  it('rejects an empty file', async () => {
    const error = await rejection(new Uint8Array());
    expect(error.code).toBe('IMAGE_EMPTY');
    expect(error.userMessage).toMatch(/empty/);
  });

  it('rejects a file over the byte limit before decoding', async () => {
    const error = await rejection(Buffer.alloc(30 * 1024 * 1024));
    expect(error.code).toBe('IMAGE_TOO_LARGE');
    expect(error.userMessage).toMatch(/30\.0 MiB, over the 25\.0 MiB limit/);
  });

  it.each([
    [20_000, 14_000],
    [65_536, 65_535],
  ])('rejects a 1 MB PNG declaring %i×%i pixels', async (width, height) => {
    const before = process.memoryUsage().rss;
    const error = await rejection(pixelBomb(width, height, 1024 * 1024));
    expect(error.code).toBe('IMAGE_TOO_MANY_PIXELS');
    expect(error.userMessage).toContain(`${width}×${height} pixels`);
    // Decoding would need gigabytes; staying under 200 MB of growth shows the pixels were never allocated.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('rejects SVG without rendering it', async () => {
    const svg = Buffer.from(
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="http://127.0.0.1:9/x.png"/></svg>',
    );
    const error = await rejection(svg);
    expect(error.code).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(error.userMessage).toMatch(/an SVG image/);
  });

  it('rejects a PDF, naming it', async () => {
    const error = await rejection(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'));
    expect(error.code).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(error.userMessage).toMatch(/a PDF document/);
  });

  it('strips EXIF metadata, GPS included', async () => {
    const withGps = await sharp(fixture('waterview.jpg'))
      .withExif({ IFD0: { Make: 'TestCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
      .jpeg()
      .toBuffer();
    expect((await sharp(withGps).metadata()).exif).toBeDefined();
    const image = await normalizeImage(withGps, limits);
    const metadata = await sharp(image.data).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(image.data.includes(Buffer.from('TestCam'))).toBe(false);
  });

  it('converts CMYK to 8-bit sRGB', async () => {
    const cmyk = await sharp(fixture('extreme_ironing.jpg')).toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const metadata = await sharp((await normalizeImage(cmyk, limits)).data).metadata();
    expect(metadata.space).toBe('srgb');
    expect(metadata.channels).toBe(3);
  });

  it('converts 16-bit PNG to 8 bits per channel', async () => {
    const deep = await sharp(fixture('with-alpha.png')).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(deep).metadata()).depth).toBe('ushort');
    const metadata = await sharp((await normalizeImage(deep, limits)).data).metadata();
    expect(metadata.depth).toBe('uchar');
  });

  it('converts greyscale to three-channel sRGB', async () => {
    const grey = await sharp(fixture('waterview.jpg')).greyscale().png().toBuffer();
    const metadata = await sharp((await normalizeImage(grey, limits)).data).metadata();
    expect(metadata.channels).toBe(3);
    expect(metadata.space).toBe('srgb');
  });

  it('accepts TIFF and AVIF', async () => {
    const tiff = await sharp(fixture('extreme_ironing.jpg')).tiff().toBuffer();
    expect((await normalizeImage(tiff, limits)).width).toBe(570);
    const avif = await sharp(fixture('extreme_ironing.jpg')).avif({ effort: 0 }).toBuffer();
    expect((await normalizeImage(avif, limits)).width).toBe(570);
  });

  it('honours a smaller maxSide', async () => {
    const image = await normalizeImage(await readFile(fixture('waterview.jpg')), { ...limits, maxSide: 336 });
    expect(Math.max(image.width, image.height)).toBe(336);
  });
});
