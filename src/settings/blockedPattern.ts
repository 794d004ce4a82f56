import { z } from 'zod';

// A group that is itself repeated and contains a quantifier, such as (a+)+ or (\w*)*: the classic
// shape of catastrophic backtracking. NOTE: a heuristic; it catches the common forms, not every one.
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]/;

/** A blocked-prompt pattern: a regular expression that compiles with the `iu` flags and is not an obvious backtracking trap. */
export const blockedPatternSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .superRefine((source, context) => {
    try {
      new RegExp(source, 'iu');
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`,
      });
      return;
    }
    if (NESTED_QUANTIFIER.test(source)) {
      context.addIssue({
        code: 'custom',
        message: 'repeats a group that already contains a repeat, which can make matching hang; simplify it',
      });
    }
  });
