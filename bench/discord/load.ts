import type { BotLogLine } from './botProcess.js';

/**
 * Calls `fire(index)` `count` times, spread evenly over `spreadMs`, and resolves after the last call.
 * The loop ends by itself after `count` calls.
 */
export async function dispatchSpread(
  count: number,
  spreadMs: number,
  fire: (index: number) => void,
): Promise<void> {
  const startedAt = Date.now();
  for (let index = 0; index < count; index++) {
    const due = startedAt + (index * spreadMs) / count;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    fire(index);
  }
}

/** Checks whether a log line closes the handling of an interaction: its job ended, or it was refused. */
export function isClosingLine(line: BotLogLine): boolean {
  return (
    line.msg === 'job done' ||
    line.msg.startsWith('job failed') ||
    line.msg.startsWith('request refused') ||
    line.action === 'acknowledge interaction'
  );
}

/**
 * Waits until every interaction id has a closing log line, polling every 100 ms, or until
 * `timeoutMs` has passed. Returns the ids still open at the end.
 */
export async function waitForClosing(
  logs: readonly BotLogLine[],
  interactionIds: readonly string[],
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  const open = new Set(interactionIds);
  let scanned = 0;
  while (open.size > 0 && Date.now() < deadline) {
    for (; scanned < logs.length; scanned++) {
      const line = logs[scanned] as BotLogLine;
      if (typeof line.interaction === 'string' && isClosingLine(line)) open.delete(line.interaction);
    }
    if (open.size > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return [...open];
}
