import { describe, expect, it } from 'vitest';
import type { IrisErrorCode } from '../../src/errors/codes.js';
import { IrisError } from '../../src/errors/IrisError.js';
import { isFatalMisconfiguration } from '../../src/lifecycle/startupChecks.js';

const failed = (code: IrisErrorCode, details: Record<string, unknown> = {}) => ({
  name: 'check',
  ok: false,
  detail: 'failed',
  error: new IrisError(code, 'failed', { userMessage: 'failed', details }),
});

describe('isFatalMisconfiguration', () => {
  it.each([
    ['VISION_MODEL_NO_VISION', {}],
    ['IMAGINE_UNAUTHORIZED', { status: 401 }],
    ['IMAGINE_UNAUTHORIZED', { status: 403 }],
    ['IMAGINE_MODEL_NOT_SERVED', { target: 'hf-inference' }],
  ] as const)('stops on %s %o', (code, details) => {
    expect(isFatalMisconfiguration(failed(code, details))).toBe(true);
  });

  it.each([
    ['VISION_UNREACHABLE', {}],
    ['VISION_MODEL_NOT_PULLED', {}],
    ['IMAGINE_UNREACHABLE', {}],
    ['IMAGINE_NOT_CONFIGURED', {}],
    ['IMAGINE_UNAUTHORIZED', { status: 500 }],
    ['IMAGINE_MODEL_NOT_SERVED', { target: 'endpoint' }],
  ] as const)('starts anyway on %s %o', (code, details) => {
    expect(isFatalMisconfiguration(failed(code, details))).toBe(false);
  });

  it('never stops on a passing check', () => {
    expect(isFatalMisconfiguration({ name: 'vision model', ok: true, detail: 'ok' })).toBe(false);
  });
});
