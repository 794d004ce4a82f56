import { IrisError } from '../../src/errors/IrisError.js';
import { cleanUserText } from '../../src/text/cleanUserText.js';
import { type DescribeMode, defaultDescribeMode, describeModes, isDescribeMode } from './modes.js';

/** Longest free-form question, in characters; Discord's option declares the same maximum. */
export const MAX_QUESTION_LENGTH = 500;

export interface DescribeOptions {
  mode: DescribeMode;
  /** A free-form question; when present it takes precedence over the mode. */
  question?: string;
}

/** Validates raw `/describe` options from any front end. */
export function parseDescribeOptions(
  raw: { mode?: string | null; question?: string | null },
  fallbackMode = defaultDescribeMode,
): DescribeOptions {
  const modeText = raw.mode?.trim().toLowerCase();
  if (modeText && !isDescribeMode(modeText)) {
    throw new IrisError('INVALID_OPTION', `Unknown describe mode: ${modeText}`, {
      userMessage: `Unknown mode "${modeText}". Choose one of: ${describeModes.join(', ')}.`,
      details: { option: 'mode' },
    });
  }

  const question = raw.question == null ? undefined : cleanUserText(raw.question);
  if (question !== undefined && question.length > MAX_QUESTION_LENGTH) {
    throw new IrisError('INVALID_OPTION', `Question is ${question.length} characters.`, {
      userMessage: `The question is ${question.length} characters long; the limit is ${MAX_QUESTION_LENGTH}. Please shorten it.`,
      details: { option: 'question', length: question.length },
    });
  }

  return {
    mode: (modeText as DescribeMode | undefined) || fallbackMode,
    ...(question ? { question } : {}),
  };
}
