import type { OllamaVision, VisionEvent, VisionMessage } from '../../src/backends/ollama/OllamaVision.js';
import type { NormalizedImage } from '../../src/image/normalizeImage.js';
import type { DescribeOptions } from './options.js';
import { describePrompts, questionPrompt } from './prompts.js';

export interface DescribeRequest extends DescribeOptions {
  image: NormalizedImage;
  /** Earlier turns of a follow-up conversation about the same image, oldest first. */
  history?: VisionMessage[];
}

/** Builds the chat messages for a describe request: the image goes with the first user turn. */
export function buildDescribeMessages(request: DescribeRequest): VisionMessage[] {
  const instruction = request.question ? questionPrompt(request.question) : describePrompts[request.mode];
  const history = request.history ?? [];
  if (history.length === 0) return [{ role: 'user', content: instruction, images: [request.image.data] }];

  const [first, ...rest] = history;
  return [
    { ...(first as VisionMessage), images: [request.image.data] },
    ...rest,
    { role: 'user', content: instruction },
  ];
}

/** Streams the model's answer about one normalised image. */
export function describe(
  vision: OllamaVision,
  request: DescribeRequest,
  signal?: AbortSignal,
): AsyncGenerator<VisionEvent> {
  return vision.stream(buildDescribeMessages(request), signal);
}
