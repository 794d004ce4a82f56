import { type ChildProcess, spawn } from 'node:child_process';
import { processCpuMs, processRss } from './procStats.js';

/** One pino line of the bot's output, parsed. */
export type BotLogLine = Record<string, unknown> & { msg: string; level: number };

/** A sample of the bot's resident set size, taken with the number of model streams then open. */
export interface RssSample {
  at: number;
  rssMb: number;
  openStreams: number;
}

export interface BotProcess {
  pid: number;
  logs: BotLogLine[];
  samples: RssSample[];
  cpuMs(): number;
  /** Peak resident set size so far (`VmHWM`), in MiB. */
  peakRssMb(): number;
  /** Resolves once the bot logs `platform adapter started`; rejects when it exits first or times out. */
  started(timeoutMs: number): Promise<void>;
  /** Sends SIGTERM, waits for the exit and returns the exit code; SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<number | null>;
}

/** How often the bot's RSS is sampled, in milliseconds. */
const SAMPLE_INTERVAL_MS = 200;

/**
 * Starts `node dist/adapters/main.js` as a child process with `env` only (no developer `.env` is read
 * because `cwd` is a fresh folder), collects its JSON log lines and samples its RSS while it runs.
 * `openStreams` is read at each sample to tie memory to the load.
 */
export function startBotProcess(
  mainScript: string,
  cwd: string,
  env: Record<string, string>,
  openStreams: () => number,
): BotProcess {
  const child: ChildProcess = spawn(process.execPath, [mainScript], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${mainScript}`);
  const logs: BotLogLine[] = [];
  const samples: RssSample[] = [];
  let stderr = '';
  let pending = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('{')) logs.push(JSON.parse(line) as BotLogLine);
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  let lastPeakMb = 0;
  const sampler = setInterval(() => {
    if (child.exitCode !== null) return;
    try {
      const { rssMb, peakMb } = processRss(pid);
      lastPeakMb = peakMb;
      samples.push({ at: Date.now(), rssMb, openStreams: openStreams() });
    } catch {
      // The process exited between the check and the read.
    }
  }, SAMPLE_INTERVAL_MS);

  return {
    pid,
    logs,
    samples,
    cpuMs: () => processCpuMs(pid),
    peakRssMb() {
      if (child.exitCode === null) lastPeakMb = processRss(pid).peakMb;
      return lastPeakMb;
    },
    async started(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!logs.some((line) => line.msg === 'platform adapter started')) {
        if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`the bot did not start within ${timeoutMs} ms: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop(graceMs) {
      clearInterval(sampler);
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}
