import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type RunningSlackAdapter, startSlackAdapter } from '../../adapters/slack/startSlackAdapter.js';
import { configSchema } from '../../src/config/schema.js';
import { createCore } from '../../src/core/createCore.js';
import { createLogger } from '../../src/logging/logger.js';
import { PrometheusMetrics } from '../../src/metrics/metrics.js';
import { createJobSystem, type JobSystem } from '../../src/queue/createJobSystem.js';
import { type LocalHuggingFace, startHuggingFaceServer } from '../servers/huggingface.js';
import { type LocalOllama, startOllamaServer } from '../servers/ollama.js';
import { postSigned, type RequestKind } from './localSlack/signedRequests.js';
import { type LocalSlack, startLocalSlack } from './localSlack/startLocalSlack.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Reads a shared fixture image. */
export function readFixture(name: string): Promise<Buffer> {
  return readFile(path.resolve(repoRoot, 'test/fixtures/images', name));
}

export const BOT_TOKEN = 'xoxb-local-0000-bot-token';
export const APP_TOKEN = 'xapp-1-local-0000-app-token';
export const SIGNING_SECRET = 'local-signing-secret-0000';
export const CHANNEL = 'C0GENERAL1';
export const USER = 'U0TESTER01';
export const ADMIN = 'U0ADMIN001';
export const OTHER_USER = 'U0OTHER001';

export type Mode = 'socket' | 'http';

export interface Delivery {
  acked: boolean;
  /** Milliseconds from delivery to the ack (Socket Mode) or to the HTTP response (HTTP mode). */
  ackMs: number | undefined;
  /** HTTP status of the receiver's response (HTTP mode only). */
  status?: number;
  /** What the ack carried: an ephemeral reply to a slash command, for example. */
  ackPayload?: Record<string, unknown>;
}

export interface Harness {
  mode: Mode;
  slack: LocalSlack;
  ollama: LocalOllama;
  huggingFace: LocalHuggingFace;
  adapter: RunningSlackAdapter;
  /** The job system the adapter uses; replaced by {@link Harness.restartAdapter}. */
  jobSystem: JobSystem;
  /** Parsed log lines written by Iris. */
  logs: Array<Record<string, unknown>>;
  /** The Prometheus series the adapter records into. */
  metrics: PrometheusMetrics;
  /** Delivers a payload the way the mode does, and returns how it was acknowledged. */
  deliver(
    kind: RequestKind,
    payload: Record<string, unknown>,
    options?: { retryNum?: number },
  ): Promise<Delivery>;
  /** The HTTP receiver's URL (HTTP mode only). */
  receiverUrl: string | undefined;
  /**
   * Stops the adapter as shutdown does (no new work, the queue stops starting jobs, running jobs
   * finish, the store closes), then starts a new job system and adapter on the same store and local
   * Slack, as a restarted process would.
   */
  restartAdapter(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the local Slack and model servers and the real Slack adapter against them. */
export async function startHarness(mode: Mode, env: Record<string, string> = {}): Promise<Harness> {
  const slack = await startLocalSlack({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  slack.workspace.memberOf.add(CHANNEL);
  slack.workspace.users.set(USER, { isAdmin: false });
  slack.workspace.users.set(ADMIN, { isAdmin: true });
  slack.workspace.users.set(OTHER_USER, { isAdmin: false });
  const ollama = await startOllamaServer({ scenario: { tokenDelayMs: 5 } });
  const huggingFace = await startHuggingFaceServer();

  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      callback();
    },
  });
  const config = configSchema.parse({
    LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: APP_TOKEN } : {}),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    SLACK_PORT: '0',
    SLACK_HOST: '127.0.0.1',
    SLACK_FILE_HOSTS: '127.0.0.1',
    SLACK_EDIT_INTERVAL_MS: '100',
    // Ten updates a second per workspace, so the pacer does not slow the tests' short answers.
    SLACK_UPDATES_PER_MINUTE: '600',
    OLLAMA_HOST: ollama.url,
    HF_TOKEN: huggingFace.token,
    HF_ENDPOINT_URL: huggingFace.endpointUrl,
    IMAGINE_MAX_WAIT_MS: '5000',
    // Tests that are not about limits send many requests in a row from one user.
    STORE_URL: 'memory',
    USER_COOLDOWN_MS: '0',
    STORE_TIMEOUT_MS: '300',
    ...env,
  });
  const logger = createLogger({
    level: 'info',
    pretty: false,
    destination,
    secrets: [BOT_TOKEN, APP_TOKEN, SIGNING_SECRET],
  });
  const metrics = new PrometheusMetrics();
  const core = createCore(config, logger, { metrics });
  let jobSystem = await createJobSystem(config, logger);
  let adapter = await startSlackAdapter(core, jobSystem);
  const receiverUrl = () =>
    adapter.port === undefined ? undefined : `http://127.0.0.1:${adapter.port}/slack/events`;

  async function stopAdapter() {
    jobSystem.queue.close();
    await adapter.stop();
    await adapter.close();
    await jobSystem.close();
  }

  async function deliver(
    kind: RequestKind,
    payload: Record<string, unknown>,
    options: { retryNum?: number } = {},
  ): Promise<Delivery> {
    if (mode === 'socket') {
      const result = await slack.socketMode.send(kind, payload, {
        ...(options.retryNum !== undefined ? { retryAttempt: options.retryNum, retryReason: 'timeout' } : {}),
      });
      return {
        acked: result.acked,
        ackMs: result.ackMs,
        ...(result.ackPayload ? { ackPayload: result.ackPayload } : {}),
      };
    }
    const result = await postSigned(receiverUrl() as string, kind, payload, {
      signingSecret: SIGNING_SECRET,
      ...(options.retryNum !== undefined ? { retryNum: options.retryNum } : {}),
    });
    return {
      acked: result.status === 200,
      ackMs: result.ackMs,
      status: result.status,
      ...(result.body.startsWith('{') ? { ackPayload: JSON.parse(result.body) } : {}),
    };
  }

  const harness: Harness = {
    mode,
    slack,
    ollama,
    huggingFace,
    adapter,
    jobSystem,
    logs,
    metrics,
    deliver,
    receiverUrl: receiverUrl(),
    async restartAdapter() {
      await stopAdapter();
      jobSystem = await createJobSystem(config, logger);
      adapter = await startSlackAdapter(core, jobSystem);
      harness.adapter = adapter;
      harness.jobSystem = jobSystem;
      harness.receiverUrl = receiverUrl();
    },
    async close() {
      await stopAdapter();
      await Promise.all([slack.close(), ollama.close(), huggingFace.close()]);
    },
  };
  return harness;
}
