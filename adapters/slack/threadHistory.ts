import { parseDescribeOptions } from '../../commands/describe/options.js';
import { describePrompts, questionPrompt } from '../../commands/describe/prompts.js';
import type { VisionMessage } from '../../src/backends/ollama/OllamaVision.js';
import { parseMentionText, stripMentions, unescapeSlackText } from './mentionText.js';
import type { SlackContext } from './SlackContext.js';
import { isImageFile, type SlackFileRef, toFileRefs } from './slackFiles.js';

/** Most thread messages read for a follow-up; older turns are left out of the history. */
export const MAX_THREAD_MESSAGES = 40;

interface ThreadMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  files?: unknown;
}

/** The image a thread is about and the conversation about it so far. */
export interface ThreadContext {
  files: SlackFileRef[];
  history: VisionMessage[];
}

function firstInstruction(text: string): string {
  const request = parseMentionText(text);
  if (request.command !== 'describe') return describePrompts.detailed;
  const options = parseDescribeOptions({ mode: request.mode ?? null, question: request.question ?? null });
  return options.question ? questionPrompt(options.question) : describePrompts[options.mode];
}

/**
 * Reads a thread for a follow-up question: the latest user message with images before `beforeTs`
 * supplies the images, and the messages after it become the history (the bot's own as assistant
 * turns). Returns undefined when the thread has no image.
 */
export async function readThreadContext(
  context: SlackContext,
  channelId: string,
  threadTs: string,
  beforeTs: string,
): Promise<ThreadContext | undefined> {
  const result = await context.client.conversations.replies({
    channel: channelId,
    ts: threadTs,
    limit: MAX_THREAD_MESSAGES,
  });
  const messages = ((result.messages ?? []) as ThreadMessage[]).filter(
    (message) => message.ts !== undefined && Number(message.ts) < Number(beforeTs),
  );
  const isBot = (message: ThreadMessage) =>
    message.user === context.botUserId || message.bot_id !== undefined;

  let imageIndex = -1;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as ThreadMessage;
    if (!isBot(message) && toFileRefs(message.files).some(isImageFile)) {
      imageIndex = index;
      break;
    }
  }
  if (imageIndex < 0) return undefined;

  const imageMessage = messages[imageIndex] as ThreadMessage;
  const history: VisionMessage[] = [{ role: 'user', content: firstInstruction(imageMessage.text ?? '') }];
  for (const message of messages.slice(imageIndex + 1)) {
    const text = unescapeSlackText(message.text ?? '').trim();
    if (text === '') continue;
    if (isBot(message)) {
      history.push({ role: 'assistant', content: text });
    } else {
      const question = stripMentions(text);
      if (question !== '') history.push({ role: 'user', content: questionPrompt(question) });
    }
  }
  return { files: toFileRefs(imageMessage.files).filter(isImageFile), history };
}
