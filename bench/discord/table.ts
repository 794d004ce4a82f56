import type { Distribution } from '../stats.js';
import type { PassFigures } from './pass.js';

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '-');
const spread = (value: Distribution) => `${ms(value.p50)} / ${ms(value.p99)} / ${ms(value.max)}`;

/** Formats the figures of every pass as a terminal table: one row per figure, one column per pass. */
export function formatPasses(passes: readonly PassFigures[]): string {
  const rows: Array<[string, (pass: PassFigures) => string]> = [
    ['/describe interactions', (pass) => String(pass.describe.interactions)],
    ['ack latency ms (p50 / p99 / max)', (pass) => spread(pass.describe.ackMs)],
    ['first text - first token ms (p50 / p99 / max)', (pass) => spread(pass.describe.firstTextOverheadMs)],
    ['edits per message (p50 / p99 / max)', (pass) => spread(pass.describe.editsPerMessage)],
    ['max edits to one channel in 5 s', (pass) => String(pass.maxEditsPerChannel5s)],
    ['429 answers from Discord', (pass) => String(pass.discord429)],
    ['most REST calls to Discord in 1 s', (pass) => String(pass.discordCallsPerSecondMax)],
    [
      'seconds at >= 45 calls (global limit 50/s)',
      (pass) => `${pass.secondsNearGlobalLimit.seconds} of ${pass.secondsNearGlobalLimit.of}`,
    ],
    ['replies lost (/describe + /imagine)', (pass) => `${pass.describe.lost} + ${pass.imagine.lost}`],
    ['answers in threads', (pass) => String(pass.describe.threads)],
    ['CPU ms per /describe, without decoding', (pass) => pass.describe.cpuMsPerDescribe.toFixed(1)],
    ['CPU ms per /describe, with decoding', (pass) => pass.describe.cpuMsPerDescribeWithDecode.toFixed(1)],
    ['RSS MiB idle / peak', (pass) => `${ms(pass.rssIdleMb)} / ${ms(pass.rssPeakMb)}`],
    [
      'RSS MiB at most streams in flight',
      (pass) => `${ms(pass.rssAtPeakStreams.rssMb)} (${pass.rssAtPeakStreams.openStreams} streams)`,
    ],
    ['/imagine ack ms (p50 / p99 / max)', (pass) => spread(pass.imagine.ackMs)],
    ...[0, 1, 2, 3, 4].map((index): [string, (pass: PassFigures) => string] => [
      `/imagine wait ms, guild ${index + 1} (p50 / max)`,
      (pass) => {
        const guild = pass.imagine.waitMsPerGuild[index];
        return guild ? `${ms(guild.wait.p50)} / ${ms(guild.wait.max)}` : '-';
      },
    ]),
    ['/imagine median wait, max guild / min guild', (pass) => pass.imagine.guildWaitSpread.toFixed(2)],
    [
      'bench event-loop delay ms (p50 / p99 / max)',
      (pass) => spread({ count: 0, ...pass.describe.benchLoopDelayMs }),
    ],
    ['refusals / warnings / errors logged', (pass) => `${pass.refusals} / ${pass.warnings} / ${pass.errors}`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  const lines = [`${'figure'.padEnd(width)}${passes.map((pass) => pass.label.padStart(22)).join('')}`];
  for (const [name, value] of rows) {
    lines.push(`${name.padEnd(width)}${passes.map((pass) => value(pass).padStart(22)).join('')}`);
  }
  return `${lines.join('\n')}\n`;
}
