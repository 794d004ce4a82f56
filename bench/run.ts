import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAnswerTokens } from './discord/benchAnswer.js';
import { decodeCpuMs } from './discord/decodeCpu.js';
import type { BenchImage } from './discord/describeLoad.js';
import { type Pass, type PassFigures, type PassSettings, startPass } from './discord/pass.js';
import { formatPasses } from './discord/table.js';
import { benchLimits, formatImageIntake, runImageIntake } from './imageIntake.js';

// Runs from dist/bench/, so the repo root is two folders up; the smoke test compiles elsewhere and sets it.
const repoRoot =
  process.env.BENCH_REPO_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturesDir = process.env.IRIS_FIXTURES_DIR ?? path.resolve(repoRoot, 'test/fixtures/images');
const resultsFile = process.env.BENCH_RESULTS_FILE ?? path.join(repoRoot, 'bench/results/latest.json');
const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

// The load of the benchmark; the BENCH_* variables shrink it for the smoke test.
const load = {
  describes: number('BENCH_DESCRIBES', 200),
  describeSpreadMs: number('BENCH_DESCRIBE_SPREAD_MS', 10_000),
  describeGuilds: number('BENCH_DESCRIBE_GUILDS', 20),
  imagines: number('BENCH_IMAGINES', 50),
  imagineSpreadMs: number('BENCH_IMAGINE_SPREAD_MS', 2_500),
  imagineGuilds: number('BENCH_IMAGINE_GUILDS', 5),
  // Ollama: first token after 300 ms, then 30 tokens per second for 250 tokens. Hugging Face: 4 s per image.
  firstTokenDelayMs: number('BENCH_FIRST_TOKEN_MS', 300),
  tokenDelayMs: 1000 / number('BENCH_TOKENS_PER_SECOND', 30),
  tokens: number('BENCH_TOKENS', 250),
  imageDelayMs: number('BENCH_IMAGE_DELAY_MS', 4_000),
  skipIntake: process.env.BENCH_SKIP_INTAKE === '1',
};
const startedAt = Date.now();
const say = (line: string) => process.stdout.write(`${line}\n`);

say('# Image intake');
const intake = load.skipIntake ? { normalize: [], bombs: [] } : await runImageIntake(fixturesDir);
process.stdout.write(formatImageIntake(intake));

const images: BenchImage[] = [];
for (const filename of ['2569067123_aca715a2ee_o.jpg', 'waterview.jpg']) {
  const data = await readFile(path.join(fixturesDir, filename));
  images.push({ filename, data, decodeCpuMs: await decodeCpuMs(data, benchLimits) });
}

// BENCH_BOT_<NAME>=value sets <NAME> for the bot, over the bench's own settings, for experiments.
const botEnv = Object.fromEntries(
  Object.entries(process.env)
    .filter(([name]) => name.startsWith('BENCH_BOT_') && name !== 'BENCH_BOT_LOG_DIR')
    .map(([name, value]) => [name.slice('BENCH_BOT_'.length), value ?? '']),
);

const passSettings = (label: string, storeUrl: string): PassSettings => ({
  label,
  storeUrl,
  env: botEnv,
  mainScript: path.join(repoRoot, 'dist/adapters/main.js'),
  ...(process.env.BENCH_BOT_LOG_DIR
    ? { botLogFile: path.join(process.env.BENCH_BOT_LOG_DIR, `bot-${label}.log`) }
    : {}),
  timing: {
    firstTokenDelayMs: load.firstTokenDelayMs,
    tokenDelayMs: load.tokenDelayMs,
    tokens: benchAnswerTokens(load.tokens),
    imageDelayMs: load.imageDelayMs,
  },
  describe: {
    count: load.describes,
    spreadMs: load.describeSpreadMs,
    guildCount: load.describeGuilds,
    images,
    timeoutMs: 90_000,
  },
  imagine: {
    count: load.imagines,
    spreadMs: load.imagineSpreadMs,
    guildCount: load.imagineGuilds,
    timeoutMs: 200_000,
  },
});

// Each pass runs its /describe load alone, so CPU and latency figures do not mix. The /imagine loads,
// which mostly wait on the simulated 4 s per image, then run side by side to keep the run short.
const settings = [passSettings('sqlite', 'sqlite')];
if (process.env.REDIS_URL) settings.push(passSettings('redis', process.env.REDIS_URL));
const passes: Pass[] = [];
for (const item of settings) {
  say(`# /describe load, ${item.label} store`);
  const pass = await startPass(item);
  passes.push(pass);
  await pass.runDescribes();
}
say('# /imagine load');
await Promise.all(passes.map((pass) => pass.runImagines()));
const figures: PassFigures[] = [];
for (const pass of passes) figures.push(await pass.finish());

process.stdout.write(formatPasses(figures));
const [main] = figures as [PassFigures];
const large = intake.normalize.find((item) => item.file === '2569067123_aca715a2ee_o.jpg');
const summary = {
  ack_p99_ms: main.describe.ackMs.p99,
  first_text_overhead_p50_ms: main.describe.firstTextOverheadMs.p50,
  edits_per_message_max: main.describe.editsPerMessage.max,
  max_edits_per_channel_5s: main.maxEditsPerChannel5s,
  discord_429: main.discord429,
  lost_replies: main.describe.lost + main.imagine.lost,
  cpu_ms_per_describe: Math.round(main.describe.cpuMsPerDescribe * 10) / 10,
  normalize_ms_p50_large_photo: large ? Math.round(large.p50Ms * 10) / 10 : null,
  rss_peak_mb: Math.round(main.rssPeakMb),
  rss_at_peak_streams_mb: Math.round(main.rssAtPeakStreams.rssMb),
  peak_streams: main.rssAtPeakStreams.openStreams,
  imagine_wait_p50_spread: Math.round(main.imagine.guildWaitSpread * 100) / 100,
  passes: figures.map((item) => item.label),
};
const report = {
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    node: process.version,
    platform: process.platform,
  },
  load,
  botEnv,
  durationMs: Date.now() - startedAt,
  intake,
  decodeCpuMs: Object.fromEntries(images.map((image) => [image.filename, image.decodeCpuMs])),
  passes: figures,
  summary,
};
await mkdir(path.dirname(resultsFile), { recursive: true });
await writeFile(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
say(
  `Wrote ${path.relative(process.cwd(), resultsFile)} in ${((Date.now() - startedAt) / 1000).toFixed(0)} s.`,
);
say(JSON.stringify(summary));
