/**
 * Records every promise rejection no handler caught while a suite runs, so a test can assert that a
 * fault never escapes as an unhandled rejection. Vitest reports such rejections too, but only after the
 * run; this list lets each suite fail on its own with the reason.
 */
export interface RejectionWatch {
  readonly rejections: unknown[];
  stop(): void;
}

export function watchRejections(): RejectionWatch {
  const rejections: unknown[] = [];
  const listener = (reason: unknown) => {
    rejections.push(reason);
  };
  process.on('unhandledRejection', listener);
  return {
    rejections,
    stop: () => {
      process.off('unhandledRejection', listener);
    },
  };
}
