import sharp from 'sharp';

// Brightest channel value (0-255) an image may have and still count as black. The Stable Diffusion
// safety checker returns pure black (0); a little headroom covers JPEG noise from providers that re-encode.
const BLACK_THRESHOLD = 8;

/** Whether the image is all black: what Stable Diffusion's safety checker returns for flagged output. */
export async function isBlankImage(image: Buffer): Promise<boolean> {
  const stats = await sharp(image).removeAlpha().stats();
  return stats.channels.every((channel) => channel.max <= BLACK_THRESHOLD);
}
