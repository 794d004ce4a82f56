import { type ImageLimits, normalizeImage } from '../../src/image/normalizeImage.js';

/**
 * Measures the CPU time, user plus system over every thread of this process (libvips workers
 * included), that the normaliser spends on one image: the mean of `runs` calls after one warm-up call.
 * In milliseconds.
 */
export async function decodeCpuMs(bytes: Buffer, limits: ImageLimits, runs = 10): Promise<number> {
  await normalizeImage(bytes, limits);
  const before = process.cpuUsage();
  for (let run = 0; run < runs; run++) await normalizeImage(bytes, limits);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / runs;
}
