import type { DescribeMode } from './modes.js';

/**
 * The instruction sent with the image for each mode. LLaVA 1.6 follows short, direct instructions
 * best; each prompt states the output shape so adapters can render it without post-processing.
 */
export const describePrompts: Record<DescribeMode, string> = {
  caption: 'Write one sentence that captions this image. Reply with the sentence only.',
  detailed:
    'Describe this image in detail: the main subject, the setting, notable objects, colours, any visible text, and the overall mood. Use short paragraphs.',
  objects:
    'List the distinct objects in this image as a Markdown bullet list. For each, give its name and its rough position (for example top left, centre, bottom right).',
  text: 'Transcribe every piece of text visible in this image, exactly as written, in reading order. Keep line breaks. If there is no text, say "No text found."',
  code: 'Transcribe the source code in this image exactly, preserving indentation. Reply with a single fenced Markdown code block tagged with the language (for example ```typescript). If there is no code, say "No code found."',
  diagram:
    'This image is a diagram or chart. Name its parts (boxes, axes, labels, series), explain how they connect or compare, and summarise what it shows.',
};

/** Wraps a free-form question so the answer stays about the image. */
export function questionPrompt(question: string): string {
  return `Answer this question about the image: ${question}`;
}
