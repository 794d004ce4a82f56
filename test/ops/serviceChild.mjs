// Runs the service lifecycle of `npm start` with a test adapter, for the shutdown tests.
// It mirrors adapters/main.ts: the same startService and the same "iris: …" line on a start-up error.
// TEST_JOB_MS sets how long the adapter's one job runs; 0 means until shutdown aborts it.
// Lines `{"test": "<event>"}` on stdout mark what happened, among the service's JSON log lines.
import { loadConfig, secretValues } from '../../dist/src/config/load.js';
import { startService } from '../../dist/src/lifecycle/startService.js';
import { createLogger } from '../../dist/src/logging/logger.js';

const jobMs = Number(process.env.TEST_JOB_MS ?? '0');
const mark = (event) => process.stdout.write(`${JSON.stringify({ test: event })}\n`);

const testAdapter = {
  name: 'test',
  tokenVariable: 'DISCORD_TOKEN',
  async start(core) {
    core.jobs.run(async (signal) => {
      mark('job started');
      await new Promise((resolve) => {
        const timer = jobMs > 0 ? setTimeout(resolve, jobMs) : undefined;
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
      mark(signal.aborted ? 'job saved' : 'job finished');
    });
    return {
      name: 'test',
      async stop() {
        mark('adapter stopped');
      },
      async close() {
        mark('adapter closed');
      },
    };
  },
};

try {
  const config = loadConfig({ envFile: false });
  const logger = createLogger({ level: config.LOG_LEVEL, secrets: secretValues(config), pretty: false });
  await startService({ config, logger, adapters: [testAdapter] });
  mark('ready');
} catch (error) {
  process.stderr.write(`iris: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
