import { randomInt } from 'node:crypto';
import { IrisError } from '../../src/errors/IrisError.js';
import { cleanUserText } from '../../src/text/cleanUserText.js';

/**
 * Sizes OpenJourney renders well. It is a Stable Diffusion 1.5 fine-tune trained at 512×512, so other
 * sizes repeat subjects or lose composition.
 */
export const imageSizes = ['512x512', '512x768', '768x512'] as const;
export type ImageSize = (typeof imageSizes)[number];

/** Ranges shared by every front end; Discord's option declarations use the same numbers. */
export const imagineLimits = {
  promptLength: { min: 1, max: 1000 },
  negativeLength: { max: 1000 },
  steps: { min: 10, max: 50, default: 30 },
  guidance: { min: 1, max: 15, default: 7.5 },
  count: { min: 1, max: 4, default: 1 },
  // Seeds are unsigned 32-bit integers, the range diffusers' generators accept everywhere.
  seed: { min: 0, max: 4_294_967_295 },
} as const;

export interface ImagineOptions {
  prompt: string;
  negativePrompt?: string;
  size: ImageSize;
  steps: number;
  guidance: number;
  count: number;
  /** The seed of the first image; image n uses seed + n. */
  seed: number;
  /** False when the user gave no seed and one was drawn at random. */
  seedChosen: boolean;
}

export interface RawImagineOptions {
  prompt?: string | null;
  negative?: string | null;
  size?: string | null;
  steps?: number | string | null;
  guidance?: number | string | null;
  count?: number | string | null;
  seed?: number | string | null;
}

function invalid(option: string, userMessage: string): IrisError {
  return new IrisError('INVALID_OPTION', `Invalid ${option}: ${userMessage}`, {
    userMessage,
    details: { option },
  });
}

function numberOption(
  name: string,
  value: number | string | null | undefined,
  range: { min: number; max: number },
  integer: boolean,
): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
    throw invalid(
      name,
      `${name} must be ${integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}; got "${value}".`,
    );
  }
  if (parsed < range.min || parsed > range.max) {
    throw invalid(name, `${name} must be from ${range.min} to ${range.max}; got ${parsed}.`);
  }
  return parsed;
}

/** Validates raw `/imagine` options from any front end and fills in defaults. */
export function parseImagineOptions(raw: RawImagineOptions): ImagineOptions {
  const prompt = cleanUserText(raw.prompt ?? '');
  if (prompt.length < imagineLimits.promptLength.min) {
    throw invalid(
      'prompt',
      'The prompt is empty. Describe the image you want, for example "a lighthouse at dusk, oil painting".',
    );
  }
  if (prompt.length > imagineLimits.promptLength.max) {
    throw invalid(
      'prompt',
      `The prompt is ${prompt.length} characters long; the limit is ${imagineLimits.promptLength.max}. Please shorten it.`,
    );
  }

  const negative = raw.negative == null ? '' : cleanUserText(raw.negative);
  if (negative.length > imagineLimits.negativeLength.max) {
    throw invalid(
      'negative',
      `The negative prompt is ${negative.length} characters long; the limit is ${imagineLimits.negativeLength.max}.`,
    );
  }

  const sizeText = (raw.size ?? '512x512').trim().toLowerCase().replace('×', 'x');
  if (!(imageSizes as readonly string[]).includes(sizeText)) {
    throw invalid('size', `Size must be one of ${imageSizes.join(', ')}; got "${raw.size}".`);
  }

  const seed = numberOption('seed', raw.seed, imagineLimits.seed, true);
  return {
    prompt,
    ...(negative ? { negativePrompt: negative } : {}),
    size: sizeText as ImageSize,
    steps: numberOption('steps', raw.steps, imagineLimits.steps, true) ?? imagineLimits.steps.default,
    guidance:
      numberOption('guidance', raw.guidance, imagineLimits.guidance, false) ?? imagineLimits.guidance.default,
    count: numberOption('count', raw.count, imagineLimits.count, true) ?? imagineLimits.count.default,
    seed: seed ?? randomSeed(),
    seedChosen: seed !== undefined,
  };
}

export function randomSeed(): number {
  // randomInt's upper bound is exclusive and must stay below 2^48.
  return randomInt(0, imagineLimits.seed.max + 1);
}

export function parseSize(size: ImageSize): { width: number; height: number } {
  const [width, height] = size.split('x').map(Number);
  return { width: width as number, height: height as number };
}
