import type { SlackJobTarget } from './jobs.js';
import type { SlackContext } from './SlackContext.js';
import { escapeSlackText } from './slackSink.js';

/** Limit for a `response_url` post, in milliseconds. */
const RESPONSE_URL_TIMEOUT_MS = 10_000;

/** Posts a plain-text message into the job's thread and returns its `ts`. */
export async function postInThread(
  context: SlackContext,
  target: SlackJobTarget,
  text: string,
): Promise<string> {
  const result = await context.client.chat.postMessage({
    channel: target.channelId,
    thread_ts: target.threadTs,
    text: escapeSlackText(text),
  });
  return result.ts as string;
}

/**
 * Shows a message only to the user who ran a slash command, through its `response_url`. This works
 * where the bot cannot post, such as a channel it is not a member of. Plain text is escaped; pass
 * `markup: true` for text Iris built itself with Slack markup such as `<!date^…>` or `<#C…>`.
 */
export async function respondEphemeral(
  responseUrl: string,
  text: string,
  options: { markup?: boolean } = {},
): Promise<void> {
  const response = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      response_type: 'ephemeral',
      replace_original: false,
      text: options.markup === true ? text : escapeSlackText(text),
    }),
    signal: AbortSignal.timeout(RESPONSE_URL_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`response_url request failed with HTTP ${response.status}`);
}
