import type { IrisCore } from '../core/createCore.js';
import { type DoctorResult, runDoctor } from '../core/doctor.js';

/** A start-up check's result, marked fatal when only a change of settings can fix it. */
export interface StartupCheck extends DoctorResult {
  fatal: boolean;
}

/**
 * Tells a misconfiguration, which no retry can fix, from a backend that is down or not ready yet.
 * Fatal: the vision model cannot take images, the Hugging Face token is rejected (401 or 403), or the
 * configured provider does not serve the image model. A model that is not pulled yet is not fatal,
 * because `ollama pull` can run while Iris is up.
 */
export function isFatalMisconfiguration(result: DoctorResult): boolean {
  const error = result.error;
  if (result.ok || error === undefined) return false;
  switch (error.code) {
    case 'VISION_MODEL_NO_VISION':
      return true;
    case 'IMAGINE_UNAUTHORIZED':
      return error.details.status === 401 || error.details.status === 403;
    case 'IMAGINE_MODEL_NOT_SERVED':
      // An endpoint's answer to a plain GET says little about what it serves; a provider's model list does.
      return error.details.target !== 'endpoint';
    default:
      return false;
  }
}

/** Runs the checks of `iris doctor` and logs each result: info when ok, error when fatal, warn otherwise. */
export async function runStartupChecks(core: IrisCore): Promise<StartupCheck[]> {
  const { logger } = core;
  logger.info({ check: 'configuration' }, 'start-up check ok: all settings are valid');

  const checks = (await runDoctor(core)).map((result) => ({
    ...result,
    fatal: isFatalMisconfiguration(result),
  }));
  for (const check of checks) {
    const fields = { check: check.name, detail: check.detail, fix: check.fix, code: check.error?.code };
    if (check.ok) logger.info(fields, `start-up check ok: ${check.detail}`);
    else if (check.fatal) logger.error(fields, `start-up check failed: ${check.detail}`);
    else logger.warn(fields, `start-up check failed, starting anyway: ${check.detail}`);
  }
  return checks;
}
