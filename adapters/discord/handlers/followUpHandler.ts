import type { Message } from 'discord.js';
import { describe } from '../../../commands/describe/describe.js';
import { parseDescribeOptions } from '../../../commands/describe/options.js';
import { newJobId, requestLogger } from '../../../src/core/requestLogger.js';
import { toIrisError } from '../../../src/errors/IrisError.js';
import type { DiscordContext } from '../context.js';
import { historyAfter, streamAnswer } from '../describeJob.js';
import { logDiscordError } from '../discordErrors.js';
import { channelTarget } from '../replyTarget.js';

/**
 * Answers a follow-up question in a describe thread, with the thread's image and conversation as
 * context. Only messages that mention the bot count, unless DISCORD_MESSAGE_CONTENT is on.
 */
export async function handleFollowUp(context: DiscordContext, message: Message): Promise<void> {
  if (message.author.bot) return;
  const conversation = context.conversations.get(message.channelId);
  if (conversation === undefined) return;
  if (!message.mentions.users.has(context.botUserId) && !context.settings.messageContent) return;

  const logger = requestLogger(context.core.logger, {
    platform: 'discord',
    guild: message.guildId ?? undefined,
    channel: message.channelId,
    user: message.author.id,
    job: newJobId(),
    command: 'follow-up',
  });
  const target = channelTarget(context, message.channelId);
  try {
    const question = message.content.replace(/<@!?\d+>/g, '').trim();
    const options = parseDescribeOptions({ question: question === '' ? null : question });
    const request = { ...options, image: conversation.image, history: conversation.history };
    const answer = await streamAnswer(context, target, describe(context.core.vision, request), '', logger);
    context.conversations.set(message.channelId, {
      ...conversation,
      history: [...conversation.history, ...historyAfter(request, answer.text).slice(-2)],
    });
  } catch (error) {
    const iris = toIrisError(error);
    logger.warn({ err: error, code: iris.code }, `follow-up failed: ${iris.message}`);
    await target
      .send({ content: iris.userMessage })
      .catch((sendError: unknown) => logDiscordError(logger, sendError, 'report failed follow-up'));
  }
}
