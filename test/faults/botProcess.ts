import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built entry point of `npm start`; `npm test` builds it first (pretest). */
export const mainScript = path.join(repoRoot, 'dist/adapters/main.js');

/** The bot as `npm start` runs it, in a child process, with its JSON log lines parsed. */
export interface BotProcess {
  child: ChildProcess;
  logs: Array<Record<string, unknown>>;
  /** Text the process wrote to stderr. */
  stderr(): string;
  /** Resolves with the first log line `match` accepts, waiting for it if needed. */
  waitForLog(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Resolves with the exit code, or the signal's name when a signal ended the process. */
  exited: Promise<number | string | null>;
}

/** Starts `node dist/adapters/main.js` in `cwd` with exactly `env` (plus PATH). */
export function startBotProcess(cwd: string, env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, [mainScript], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const wakers = new Set<() => void>();
  let pending = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) logs.push(JSON.parse(line));
    for (const wake of wakers) wake();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );

  return {
    child,
    logs,
    stderr: () => stderr,
    exited,
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
          reject(new Error(`No matching log line within ${timeoutMs} ms; stderr: ${stderr}`));
        }, timeoutMs);
        wakers.add(check);
        check();
      });
    },
  };
}
