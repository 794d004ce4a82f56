import type { Message } from 'discord.js';
import { describe } from '../../../commands/describe/describe.js';
import { parseDescribeOptions } from '../../../commands/describe/options.js';
import { requestLogger } from '../../../src/core/requestLogger.js';
import { toIrisError } from '../../../src/errors/IrisError.js';
import type { Logger } from '../../../src/logging/logger.js';
import type { DiscordContext } from '../context.js';
import { historyAfter, streamAnswer } from '../describeJob.js';
import { logDiscordError } from '../discordErrors.js';
import { admissionGuildId, type FollowUpJob, queueRequest } from '../queuedJob.js';
import { refusalText } from '../refusalText.js';
import { channelTarget } from '../replyTarget.js';

function followUpLogger(context: DiscordContext, job: FollowUpJob, jobId?: string): Logger {
  return requestLogger(context.core.logger, {
    platform: 'discord',
    guild: job.ids.guild,
    channel: job.ids.thread,
    user: job.ids.user,
    job: jobId,
    command: 'follow-up',
  });
}

/** Posts a notice in the thread for the user, mentioning them without a ping; never throws. */
async function tellUser(
  context: DiscordContext,
  job: FollowUpJob,
  text: string,
  logger: Logger,
): Promise<void> {
  await channelTarget(context, job.ids.thread)
    .send({ content: `<@${job.ids.user}> ${text}` })
    .catch((error: unknown) =>
      logDiscordError(context.core.metrics, logger, error, 'tell user about follow-up'),
    );
}

/**
 * Takes a follow-up question in a describe thread to admission and the queue, like any describe
 * request. Only messages that mention the bot count, unless DISCORD_MESSAGE_CONTENT is on; system
 * messages never do. A plain message cannot be answered ephemerally, so a refusal is posted in the
 * thread with a silent mention.
 */
export async function handleFollowUp(context: DiscordContext, message: Message): Promise<void> {
  // System messages (pin notices, thread renames) carry a member as author but no question.
  if (message.author.bot || message.system || !message.channel.isThread()) return;
  const mentioned = message.mentions.users.has(context.botUserId);
  if (!mentioned && !context.settings.messageContent) return;

  const question = message.content.replace(/<@!?\d+>/g, '').trim();
  const job: FollowUpJob = {
    ids: {
      guild: message.guildId ?? undefined,
      thread: message.channelId,
      user: message.author.id,
      message: message.id,
    },
    question: question === '' ? undefined : question,
  };
  const logger = followUpLogger(context, job);

  try {
    if ((await context.conversations.get(message.channelId)) === undefined) return;
  } catch (error) {
    logger.error({ err: error }, 'could not read the thread’s conversation');
    if (mentioned) await tellUser(context, job, toIrisError(error).userMessage, logger);
    return;
  }

  const guildId = admissionGuildId(message.guildId, message.author.id);
  const scope = { guildId, channelId: message.channel.parentId ?? message.channelId };
  const result = await context.jobs.admission.admit(
    queueRequest({ kind: 'follow-up', job }, scope, message.author.id),
  );
  if (!result.accepted) {
    await tellUser(
      context,
      job,
      await refusalText(context, result.refusal, { platform: 'discord', guildId }),
      logger,
    );
    return;
  }
  followUpLogger(context, job, result.job.id).info({ state: result.status.state }, 'follow-up admitted');
}

/**
 * Answers a queued follow-up question with the thread's image and conversation as context. Never
 * rejects: failures are logged and told to the user in the thread.
 */
export async function answerFollowUp(
  context: DiscordContext,
  job: FollowUpJob,
  jobId: string,
  signal: AbortSignal,
): Promise<void> {
  const logger = followUpLogger(context, job, jobId);
  const target = channelTarget(context, job.ids.thread);
  try {
    const conversation = await context.conversations.get(job.ids.thread);
    if (conversation === undefined) {
      await tellUser(
        context,
        job,
        'This thread’s conversation has expired. Please run /describe again.',
        logger,
      );
      return;
    }
    const options = parseDescribeOptions({ question: job.question ?? null });
    const request = { ...options, image: conversation.image, history: conversation.history };
    const events = describe(context.core.vision, request, signal);
    const answer = await streamAnswer(context, target, events, '', logger);
    await context.conversations.set(job.ids.thread, {
      ...conversation,
      history: [...conversation.history, ...historyAfter(request, answer.text).slice(-2)],
    });
  } catch (error) {
    const iris = toIrisError(error);
    logger.warn({ err: error, code: iris.code }, `follow-up failed: ${iris.message}`);
    await tellUser(context, job, iris.userMessage, logger);
  }
}
