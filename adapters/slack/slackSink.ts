import type { webApi } from '@slack/bolt';
import type { MessageSink } from '../../src/stream/StreamingReply.js';
import { markdownToMrkdwn } from './markdownToMrkdwn.js';

/**
 * Longest message Iris posts, in characters. Slack truncates `text` past 40,000 characters and
 * recommends at most 4,000; 3,900 leaves room for the escaping below.
 */
export const SLACK_MAX_MESSAGE_LENGTH = 3900;

/** Escapes the three characters Slack reads as markup in message text. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Posts streamed Markdown into a thread, converted to Slack's mrkdwn: the first chunk with chat.postMessage, later versions with
 * chat.update. When Slack answers `ratelimited`, the Web API client waits out Retry-After before it
 * retries, and StreamingReply coalesces the text that arrives meanwhile into the next update.
 */
export function createThreadSink(
  client: webApi.WebClient,
  channelId: string,
  threadTs: string,
): MessageSink<string> {
  return {
    async send(text) {
      const result = await client.chat.postMessage({
        channel: channelId,
        thread_ts: threadTs,
        text: markdownToMrkdwn(text),
        unfurl_links: false,
        unfurl_media: false,
      });
      return result.ts as string;
    },
    async edit(ts, text) {
      await client.chat.update({ channel: channelId, ts, text: markdownToMrkdwn(text) });
    },
  };
}
