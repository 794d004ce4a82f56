import type { AddressInfo } from 'node:net';
import { App, webApi } from '@slack/bolt';
import type { Keyv } from 'keyv';
import { ConfigError } from '../../src/config/load.js';
import type { IrisCore } from '../../src/core/createCore.js';
import type { JobSystem } from '../../src/queue/createJobSystem.js';
import { toBoltLogger } from './boltLogger.js';
import { EventDedupe } from './EventDedupe.js';
import { type GeneratedImageRecord, GeneratedImages } from './GeneratedImages.js';
import { registerActionHandlers } from './handlers/actions.js';
import { registerCommandHandlers } from './handlers/commands.js';
import { registerEventHandlers } from './handlers/events.js';
import { registerIrisCommand } from './handlers/irisCommand.js';
import { registerJobActionHandlers } from './handlers/jobActions.js';
import { registerShortcutHandler } from './handlers/shortcut.js';
import { InterruptedJobs } from './InterruptedJobs.js';
import { JobRunner } from './JobRunner.js';
import type { QueuedSlackJob } from './jobs.js';
import { registerQueueHandlers } from './queueHandlers.js';
import type { SlackContext } from './SlackContext.js';
import { StatusMessages } from './StatusMessages.js';
import { fromSlackError } from './slackErrors.js';
import { WorkspacePacers } from './WorkspacePacers.js';

/** Limit for one Web API request, in milliseconds; uploads of generated images fit well within it. */
const API_TIMEOUT_MS = 30_000;

/**
 * Retries of a failed Web API request. A `ratelimited` response is retried after its Retry-After wait
 * (the client pauses its queue for that long); network failures back off from 0.5 s to 5 s.
 */
const API_RETRY = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 };

/** A started Slack adapter. */
export interface RunningSlackAdapter {
  name: 'slack';
  mode: 'socket' | 'http';
  /** The HTTP receiver's port (HTTP mode only). */
  port: number | undefined;
  /** Resolves once the queue is empty and every job and status edit started so far has finished. */
  idle(): Promise<void>;
  /** Stops taking new events, commands and actions. */
  stop(): Promise<void>;
  /** Waits for running jobs (shutdown aborts them after its grace period), then releases the rest. */
  close(): Promise<void>;
}

function missingSigningSecret(): ConfigError {
  return new ConfigError([
    'SLACK_SIGNING_SECRET is required when SLACK_APP_TOKEN is not set (HTTP mode); set it to the signing secret from the app’s Basic Information page, or set SLACK_APP_TOKEN for Socket Mode (example: SLACK_SIGNING_SECRET=your-app-signing-secret)',
  ]);
}

/**
 * Starts the Slack adapter with Bolt: Socket Mode when SLACK_APP_TOKEN is set, otherwise the HTTP
 * receiver on SLACK_HOST:SLACK_PORT, which verifies each request with SLACK_SIGNING_SECRET and rejects
 * a bad signature or a timestamp more than 5 minutes old with HTTP 401. Requests are acknowledged
 * before any work starts. Model work goes through `jobSystem`'s admission and queue; the adapter
 * registers its queue handlers and restores the Slack jobs a previous run left in the store. The
 * caller owns `jobSystem`: it closes the queue before `close()` and the stores after.
 */
export async function startSlackAdapter(core: IrisCore, jobSystem: JobSystem): Promise<RunningSlackAdapter> {
  const { config } = core;
  const botToken = config.SLACK_BOT_TOKEN;
  if (botToken === undefined) {
    throw new ConfigError(['SLACK_BOT_TOKEN is required for Slack (example: SLACK_BOT_TOKEN=xoxb-...)']);
  }
  const appToken = config.SLACK_APP_TOKEN;
  const mode = appToken === undefined ? 'http' : 'socket';
  if (mode === 'http' && config.SLACK_SIGNING_SECRET === undefined) throw missingSigningSecret();
  const logger = core.logger.child({ platform: 'slack' });

  const app = new App({
    token: botToken,
    ...(appToken === undefined
      ? { signingSecret: config.SLACK_SIGNING_SECRET as string }
      : { socketMode: true, appToken }),
    logger: toBoltLogger(logger),
    // Work starts after the ack, so a long-running server never delays the response until the work is done.
    processBeforeResponse: false,
    clientOptions: { slackApiUrl: config.SLACK_API_URL, timeout: API_TIMEOUT_MS, retryConfig: API_RETRY },
  });

  const controller = new AbortController();
  const context: SlackContext = {
    core,
    client: app.client,
    botToken,
    botUserId: '',
    // Shared store namespaces, so restarts and other processes see them. The TTLs, in milliseconds,
    // are set by EventDedupe (10 minutes), GeneratedImages, InterruptedJobs and StatusMessages (7 days each).
    dedupe: new EventDedupe(jobSystem.stores.namespaces.dedupe as Keyv<true>),
    generatedImages: new GeneratedImages(
      jobSystem.stores.namespaces.conversations as Keyv<GeneratedImageRecord>,
    ),
    interruptedJobs: new InterruptedJobs(jobSystem.stores.namespaces.conversations as Keyv<QueuedSlackJob>),
    statusMessages: new StatusMessages(jobSystem.stores.namespaces.conversations as Keyv<string>),
    jobSystem,
    updatePacers: new WorkspacePacers(config.SLACK_UPDATES_PER_MINUTE),
    signal: controller.signal,
  };
  // The client waits out Retry-After itself; each 429 is still counted, by Web API method.
  app.client.on(
    webApi.WebClientEvent.RATE_LIMITED,
    (_retryAfterSeconds: number, request: { url: string }) => {
      core.metrics.platformRateLimited({ platform: 'slack', route: request.url.replace(/^.*\//, '') });
    },
  );
  const runner = new JobRunner(logger);
  const resumed = registerQueueHandlers(context, runner);

  registerEventHandlers(app, context, runner, logger);
  registerCommandHandlers(app, context, runner);
  registerIrisCommand(app, context, runner);
  registerShortcutHandler(app, context, runner);
  registerActionHandlers(app, context, runner);
  registerJobActionHandlers(app, context, runner);
  app.error(async (error) => {
    const failure = fromSlackError(error);
    logger.error(
      { err: failure, code: failure.code, ...failure.details },
      'unhandled error in a Slack listener',
    );
  });

  try {
    const identity = await app.client.auth.test();
    context.botUserId = identity.user_id ?? '';
    logger.info({ team: identity.team_id, botUser: identity.user_id }, 'Slack token accepted');
  } catch (error) {
    const failure = fromSlackError(error, 'auth.test');
    throw new ConfigError([`SLACK_BOT_TOKEN was rejected by Slack: ${failure.adminHint ?? failure.message}`]);
  }

  let port: number | undefined;
  if (mode === 'http') {
    const server = await app.start({ port: config.SLACK_PORT, host: config.SLACK_HOST });
    port = (server.address() as AddressInfo).port;
  } else {
    // Resolves once Slack's hello message arrives on the WebSocket.
    await app.start();
  }
  logger.info({ mode, port }, 'Slack adapter connected');

  try {
    const report = await jobSystem.queue.restore();
    for (const job of report.requeued) resumed.get(job.id)?.follow(undefined);
    logger.info(
      { resumed: report.requeued.length, interrupted: report.interrupted.length },
      'stored jobs restored',
    );
  } catch (error) {
    // The jobs stay in the store; the next start offers them again.
    logger.error({ err: error }, 'could not restore stored jobs; the store is unreachable');
  }

  return {
    name: 'slack',
    mode,
    port,
    async idle() {
      // Admission tasks enqueue jobs, and ending jobs start status edits, so wait until both are quiet.
      do {
        await runner.idle();
        await jobSystem.queue.idle();
      } while (runner.size > 0);
    },
    async stop() {
      // Closes the socket or the HTTP receiver; running jobs keep using the Web API until they end.
      await app.stop();
      logger.info('Slack adapter stopped taking new work');
    },
    async close() {
      await runner.idle();
      controller.abort();
      context.updatePacers.close();
      logger.info('Slack adapter closed');
    },
  };
}
