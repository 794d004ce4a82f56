/**
 * Says up front which suites will be skipped, because Vitest's default reporter shows a skipped test's
 * reason (its title) only in verbose mode.
 */
export function setup(): void {
  if (process.env.REDIS_URL === undefined) {
    process.stdout.write(
      '\nREDIS_URL is not set, so the tests that need Redis are skipped. To run them: start redis-server and export REDIS_URL=redis://127.0.0.1:6379\n\n',
    );
  }
}
