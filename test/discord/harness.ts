import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChannelType } from 'discord-api-types/v10';
import { type RunningDiscord, startDiscord } from '../../adapters/discord/startDiscord.js';
import { configSchema } from '../../src/config/schema.js';
import { createCore, type IrisCore } from '../../src/core/createCore.js';
import { createLogger } from '../../src/logging/logger.js';
import type { IrisMetrics } from '../../src/metrics/IrisMetrics.js';
import { createJobSystem, type JobSystem } from '../../src/queue/createJobSystem.js';
import { type LocalHuggingFace, startHuggingFaceServer } from '../servers/huggingface.js';
import { type ChatScenario, type LocalOllama, startOllamaServer } from '../servers/ollama.js';
import { type LocalDiscord, startLocalDiscord } from './server/localDiscord.js';
import type { InteractionRecord } from './server/state.js';
import { newUser, type TestUser } from './server/users.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const fixture = (name: string) => path.resolve(here, '../fixtures/images', name);

export type LogLine = Record<string, unknown> & { msg: string; level: number };

export interface Harness {
  discord: LocalDiscord;
  ollama: LocalOllama;
  hf: LocalHuggingFace;
  adapter: RunningDiscord;
  core: IrisCore;
  /** Limits, settings and the queue the adapter was given. */
  jobs: JobSystem;
  /** A text channel of the local guild where the bot has every permission. */
  channelId: string;
  user: TestUser;
  logs: LogLine[];
  /** Resolves with the first log line `match` accepts, waiting for it if needed. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /**
   * Stops the adapter and its job system as a restart would (queued jobs stay in the store), then
   * starts new ones on the same local servers with `restart` options; `adapter`, `core` and `jobs` change.
   */
  restart(restart?: { env?: Record<string, string>; interactionTtlMs?: number }): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  scenario?: ChatScenario;
  interactionTtlMs?: number;
  /** Called with the local Discord before the bot connects, to add channels to the guild. */
  prepare?: (discord: LocalDiscord) => void;
  /** Where the core records its metrics, kept across restarts; records nothing by default. */
  metrics?: IrisMetrics;
}

/** Starts the local Discord, Ollama and Hugging Face servers and the real adapter connected to them. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const discord = await startLocalDiscord();
  const ollama = await startOllamaServer({ scenario: options.scenario ?? { tokenDelayMs: 5 } });
  const hf = await startHuggingFaceServer();
  const channel = discord.state.addChannel(ChannelType.GuildText);
  options.prepare?.(discord);

  const logs: LogLine[] = [];
  const wakers = new Set<() => void>();
  const logger = createLogger({
    level: 'debug',
    secrets: [discord.token, hf.token],
    pretty: false,
    destination: {
      write(line: string) {
        logs.push(JSON.parse(line) as LogLine);
        for (const wake of wakers) wake();
      },
    },
  });
  const configFor = (env: Record<string, string> = {}) =>
    configSchema.parse({
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_CDN_HOSTS: '127.0.0.1',
      DISCORD_EDIT_INTERVAL_MS: '100',
      OLLAMA_HOST: ollama.url,
      HF_TOKEN: hf.token,
      HF_ENDPOINT_URL: hf.endpointUrl,
      LOG_LEVEL: 'debug',
      // Tests that check the store or the cooldown set these themselves.
      STORE_URL: 'memory',
      USER_COOLDOWN_MS: '0',
      DISCORD_ANCHOR_UPDATE_MS: '200',
      ...options.env,
      ...env,
    });
  const start = async (env: Record<string, string> | undefined, interactionTtlMs: number | undefined) => {
    const config = configFor(env);
    const core = createCore(config, logger, { metrics: options.metrics });
    const jobs = await createJobSystem(config, logger, { owner: 'discord-test' });
    const adapter = await startDiscord(core, { interactionTtlMs, jobs });
    return { core, jobs, adapter };
  };
  const stop = async (running: { jobs: JobSystem; adapter: RunningDiscord }) => {
    await running.adapter.stop();
    running.jobs.queue.close();
    await running.adapter.close();
    await running.jobs.close();
  };
  let running = await start(undefined, options.interactionTtlMs);

  const harness: Harness = {
    discord,
    ollama,
    hf,
    adapter: running.adapter,
    core: running.core,
    jobs: running.jobs,
    channelId: channel.id,
    user: newUser(),
    logs,
    waitForLog(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = logs.find(match);
          if (!found) return;
          wakers.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          wakers.delete(check);
          reject(new Error(`No matching log line within ${timeoutMs} ms`));
        }, timeoutMs);
        wakers.add(check);
        check();
      });
    },
    async restart(restart = {}) {
      await stop(running);
      running = await start(restart.env, restart.interactionTtlMs ?? options.interactionTtlMs);
      Object.assign(harness, { adapter: running.adapter, core: running.core, jobs: running.jobs });
    },
    async close() {
      await stop(running);
      await Promise.all([discord.close(), ollama.close(), hf.close()]);
    },
  };
  return harness;
}

/**
 * Waits for the ephemeral refusal of an interaction that was acknowledged with its anchor: the
 * follow-up posted through its token with the ephemeral flag. Returns the text.
 */
export async function refusalOf(harness: Harness, interaction: InteractionRecord): Promise<string> {
  const call = await harness.discord.waitForCall(
    (item) =>
      item.method === 'POST' &&
      item.path.endsWith(`/${interaction.token}`) &&
      item.status === 200 &&
      Number(item.body.flags ?? 0) === 64,
  );
  return String(call.body.content);
}

/** Waits for a job's anchor to be edited to text that `match` accepts; returns the text. */
export async function anchorBecomes(
  harness: Harness,
  interaction: InteractionRecord,
  match: (content: string) => boolean,
): Promise<string> {
  const ok = () =>
    match(harness.discord.state.messages.get(interaction.originalMessageId ?? '')?.content ?? '');
  await harness.discord.waitForCall(() => ok());
  return harness.discord.state.messages.get(interaction.originalMessageId ?? '')?.content ?? '';
}

/** Waits for the job of an interaction to end, done or failed; returns the closing log line. */
export function jobEnded(harness: Harness, interactionId: string): Promise<LogLine> {
  return harness.waitForLog(
    (line) =>
      line.interaction === interactionId &&
      (line.msg === 'job done' || String(line.msg).startsWith('job failed')),
  );
}
