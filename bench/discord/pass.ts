import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LocalDiscord, startLocalDiscord } from '../../test/discord/server/localDiscord.js';
import { type LocalHuggingFace, startHuggingFaceServer } from '../../test/servers/huggingface.js';
import { type LocalOllama, startOllamaServer } from '../../test/servers/ollama.js';
import { maxInWindow } from '../stats.js';
import { type BotLogLine, type BotProcess, startBotProcess } from './botProcess.js';
import {
  type DescribeFigures,
  type DescribeLoad,
  type DescribeRun,
  describeFigures,
  runDescribeLoad,
} from './describeLoad.js';
import {
  callsByRoute,
  enforceMessageLimits,
  MESSAGE_LIMIT,
  maxEditsPerChannelWindow,
  messageEdits,
  secondsNearGlobalLimit,
} from './discordCalls.js';
import { addGuilds, type BenchGuild } from './guilds.js';
import { type ImagineFigures, type ImagineLoad, imagineFigures, runImagineLoad } from './imagineLoad.js';

/** Model timing the local servers simulate, and the answer Ollama streams. */
export interface ModelTiming {
  firstTokenDelayMs: number;
  tokenDelayMs: number;
  tokens: string[];
  imageDelayMs: number;
}

export interface PassSettings {
  /** `sqlite` or `redis`, as the figures are labelled. */
  label: string;
  /** STORE_URL for the bot; a `sqlite://` URL is placed in the pass's own folder. */
  storeUrl: string | 'sqlite';
  mainScript: string;
  timing: ModelTiming;
  describe: Omit<DescribeLoad, 'guilds' | 'answer'> & { guildCount: number };
  imagine: Omit<ImagineLoad, 'guilds'> & { guildCount: number };
  /** File that receives the bot's log lines when the pass ends; when unset, they are not written. */
  botLogFile?: string;
  /** Extra environment for the bot, over the bench's defaults. */
  env?: Record<string, string>;
}

export interface PassFigures {
  label: string;
  storeUrl: string;
  describe: DescribeFigures;
  imagine: ImagineFigures;
  /** Successful edits any one channel received in a window of Discord's 5 s message limit. */
  maxEditsPerChannel5s: number;
  discord429: number;
  /** REST calls the local Discord received, per route shape, with the 429 answers among them. */
  discordCallsByRoute: Record<string, { calls: number; limited: number }>;
  /** Seconds with calls at 90 % or more of discord.js's global 50 per second, of the seconds with calls. */
  secondsNearGlobalLimit: { seconds: number; of: number };
  discordCalls: number;
  /** The most REST calls the local Discord received in any sliding 1 s window. */
  discordCallsPerSecondMax: number;
  rssPeakMb: number;
  /** RSS sampled when the most model streams were open, and that number of streams. */
  rssAtPeakStreams: { openStreams: number; rssMb: number };
  rssIdleMb: number;
  refusals: number;
  warnings: number;
  errors: number;
  botExitCode: number | null;
  /** Distinct warning and error messages the bot logged, with how often. */
  problems: Record<string, number>;
}

function countProblems(logs: readonly BotLogLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of logs) {
    if (line.level < 40 && !line.msg.startsWith('request refused')) continue;
    counts[line.msg] = (counts[line.msg] ?? 0) + 1;
  }
  return counts;
}

/** A started pass: local servers and a bot connected to them; the loads run on demand. */
export interface Pass {
  settings: PassSettings;
  runDescribes(): Promise<void>;
  runImagines(): Promise<void>;
  /** Stops the bot and the servers and returns the pass's figures. */
  finish(): Promise<PassFigures>;
}

/**
 * Starts the local Discord (with Discord's message limits), Ollama and Hugging Face, then the bot as a
 * child process against them, and adds the guilds once the bot is connected.
 */
export async function startPass(settings: PassSettings): Promise<Pass> {
  const discord: LocalDiscord = await startLocalDiscord();
  enforceMessageLimits(discord);
  const { timing } = settings;
  const ollama: LocalOllama = await startOllamaServer({
    scenario: {
      firstTokenDelayMs: timing.firstTokenDelayMs,
      tokenDelayMs: timing.tokenDelayMs,
      tokens: timing.tokens,
    },
  });
  const hf: LocalHuggingFace = await startHuggingFaceServer({ delayMs: timing.imageDelayMs });
  const cwd = await mkdtemp(path.join(tmpdir(), `iris-bench-${settings.label}-`));
  const storeUrl =
    settings.storeUrl === 'sqlite' ? `sqlite://${path.join(cwd, 'iris.sqlite')}` : settings.storeUrl;

  const bot: BotProcess = startBotProcess(
    settings.mainScript,
    cwd,
    {
      LOG_LEVEL: 'info',
      HEALTH_PORT: '0',
      SHUTDOWN_GRACE_MS: '5000',
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_CDN_HOSTS: '127.0.0.1',
      OLLAMA_HOST: ollama.url,
      HF_TOKEN: hf.token,
      HF_ENDPOINT_URL: hf.endpointUrl,
      HF_HUB_URL: hf.url,
      STORE_URL: storeUrl,
      STORE_KEY_PREFIX: `bench${Date.now()}`,
      // Limits sized so they admit the whole load: the bench measures the bot, not its refusals.
      // Every describe streams at once, so the queue is not the bottleneck.
      OLLAMA_CONCURRENCY: '200',
      HF_CONCURRENCY: '2',
      DESCRIBE_BUDGET: '100000',
      IMAGINE_BUDGET: '100000',
      USER_COOLDOWN_MS: '0',
      GUILD_QUEUE_CAP: '1000',
      ...settings.env,
    },
    () => ollama.openStreams,
  );
  const closeAll = async () => {
    await bot.stop(10_000);
    await Promise.all([discord.close(), ollama.close(), hf.close()]);
    await rm(cwd, { recursive: true, force: true });
  };
  try {
    await bot.started(30_000);
  } catch (error) {
    await closeAll();
    throw error;
  }
  const rssIdleMb = bot.samples.at(-1)?.rssMb ?? Number.NaN;
  const guilds: BenchGuild[] = addGuilds(
    discord,
    Math.max(settings.describe.guildCount, settings.imagine.guildCount),
  );
  // discord.js handles GUILD_CREATE as it arrives; a short pause lets it cache every guild.
  await new Promise((resolve) => setTimeout(resolve, 300));

  const answer = timing.tokens.join('').trim();
  const describeLoad: DescribeLoad = {
    ...settings.describe,
    guilds: guilds.slice(0, settings.describe.guildCount),
    answer,
  };
  const imagineLoad: ImagineLoad = {
    ...settings.imagine,
    guilds: guilds.slice(0, settings.imagine.guildCount),
  };
  let describeResult: DescribeRun | undefined;
  let imagineResult: Awaited<ReturnType<typeof runImagineLoad>> | undefined;
  let describeEndedAt = Number.POSITIVE_INFINITY;

  return {
    settings,
    async runDescribes() {
      describeResult = await runDescribeLoad(discord, bot, describeLoad);
      describeEndedAt = Date.now();
    },
    async runImagines() {
      imagineResult = await runImagineLoad(discord, bot, imagineLoad);
    },
    async finish() {
      const rssPeakMb = bot.peakRssMb();
      const botExitCode = await bot.stop(10_000);
      if (settings.botLogFile) {
        await writeFile(settings.botLogFile, bot.logs.map((line) => `${JSON.stringify(line)}\n`).join(''));
      }
      const interactions = [...discord.state.interactions.values()];
      const edits = messageEdits(discord.calls, interactions);
      const closedOk = new Set(
        bot.logs.filter((line) => line.msg === 'job done').map((line) => String(line.interaction)),
      );
      const describeSamples = bot.samples.filter((sample) => sample.at <= describeEndedAt);
      const mostStreams = Math.max(0, ...describeSamples.map((sample) => sample.openStreams));
      const rssAtMost = Math.max(
        0,
        ...describeSamples
          .filter((sample) => sample.openStreams === mostStreams)
          .map((sample) => sample.rssMb),
      );
      const limited = callsByRoute(discord.calls);
      const figures: PassFigures = {
        label: settings.label,
        // A Redis URL may carry a password, which stays out of the report.
        storeUrl:
          settings.storeUrl === 'sqlite'
            ? 'sqlite://<temporary folder>/iris.sqlite'
            : storeUrl.replace(/\/\/[^@/]*@/, '//***@'),
        describe: describeFigures(
          discord,
          ollama,
          edits,
          describeLoad,
          describeResult ?? {
            sent: [],
            cpuMs: 0,
            wallMs: 0,
            open: [],
            benchLoopDelayMs: { p50: Number.NaN, p99: Number.NaN, max: Number.NaN },
          },
          closedOk,
        ),
        imagine: imagineFigures(discord, hf, imagineResult?.sent ?? [], closedOk),
        maxEditsPerChannel5s: maxEditsPerChannelWindow(edits, MESSAGE_LIMIT.windowMs),
        discord429: limited.limited,
        discordCalls: limited.total,
        discordCallsByRoute: limited.byRoute,
        secondsNearGlobalLimit: secondsNearGlobalLimit(discord.calls),
        discordCallsPerSecondMax: maxInWindow(
          discord.calls.map((call) => call.at),
          1_000,
        ),
        rssPeakMb,
        rssAtPeakStreams: { openStreams: mostStreams, rssMb: rssAtMost },
        rssIdleMb,
        refusals: bot.logs.filter((line) => line.msg.startsWith('request refused')).length,
        warnings: bot.logs.filter((line) => line.level === 40).length,
        errors: bot.logs.filter((line) => line.level >= 50).length,
        botExitCode,
        problems: countProblems(bot.logs),
      };
      await Promise.all([discord.close(), ollama.close(), hf.close()]);
      await rm(cwd, { recursive: true, force: true });
      return figures;
    },
  };
}
