import type { HuggingFaceImages, WaitNotice } from '../../src/backends/huggingface/HuggingFaceImages.js';
import { IrisError } from '../../src/errors/IrisError.js';
import { type ImagineOptions, parseSize } from './options.js';
import { withTrigger } from './prompt.js';

export interface GeneratedImage {
  seed: number;
  /** PNG bytes; absent when the safety checker blacked this image out. */
  png?: Buffer;
  filtered: boolean;
}

export interface ImagineResult {
  /** The prompt as sent to the model, trigger phrase included. */
  prompt: string;
  images: GeneratedImage[];
}

export interface ImagineRunOptions {
  trigger: string;
  signal?: AbortSignal;
  onWait?: (notice: WaitNotice) => void;
  /** Called after each image, so front ends can show progress for count > 1. */
  onImage?: (image: GeneratedImage, index: number) => void;
}

/**
 * Generates `count` images, one request each, with seeds seed, seed + 1, and so on. Images blacked out
 * by the safety checker are reported as filtered and carry no bytes; when all of them are, this throws.
 */
export async function imagine(
  backend: HuggingFaceImages,
  options: ImagineOptions,
  run: ImagineRunOptions,
): Promise<ImagineResult> {
  const prompt = withTrigger(options.prompt, run.trigger);
  const { width, height } = parseSize(options.size);
  const images: GeneratedImage[] = [];

  for (let index = 0; index < options.count; index++) {
    // Seeds wrap inside the unsigned 32-bit range.
    const seed = (options.seed + index) % 4_294_967_296;
    let image: GeneratedImage;
    try {
      const png = await backend.generate(
        {
          prompt,
          negativePrompt: options.negativePrompt,
          width,
          height,
          steps: options.steps,
          guidance: options.guidance,
          seed,
        },
        { signal: run.signal, onWait: run.onWait },
      );
      image = { seed, png, filtered: false };
    } catch (error) {
      if (!(error instanceof IrisError) || error.code !== 'IMAGINE_FILTERED') throw error;
      image = { seed, filtered: true };
    }
    images.push(image);
    run.onImage?.(image, index);
  }

  if (images.every((image) => image.filtered)) {
    throw new IrisError('IMAGINE_FILTERED', 'Every generated image was blacked out by the safety checker.', {
      userMessage:
        images.length === 1
          ? 'The image was blocked by the model’s safety filter, so nothing was posted. Try rewording the prompt.'
          : `All ${images.length} images were blocked by the model’s safety filter, so nothing was posted. Try rewording the prompt.`,
      details: { seeds: images.map((image) => image.seed) },
    });
  }
  return { prompt, images };
}
