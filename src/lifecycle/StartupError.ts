import type { DoctorResult } from '../core/doctor.js';

/** Thrown when a start-up check finds a misconfiguration; the message names each failed check and its fix. */
export class StartupError extends Error {
  readonly code = 'STARTUP_CHECK_FAILED';

  constructor(readonly failed: DoctorResult[]) {
    super(
      `start-up check failed, so Iris did not start:\n${failed
        .map((check) => `  - ${check.name}: ${check.detail}${check.fix ? `\n    fix: ${check.fix}` : ''}`)
        .join('\n')}`,
    );
    this.name = 'StartupError';
  }
}
