import { newJobId, requestLogger } from '../../../src/core/requestLogger.js';
import { toIrisError } from '../../../src/errors/IrisError.js';
import { admitJob } from '../admitJob.js';
import { tellUser } from '../deleteJob.js';
import type { JobRunner } from '../JobRunner.js';
import type { QueuedSlackJob, SlackJobTarget } from '../jobs.js';
import { parseMentionText } from '../mentionText.js';
import { postInThread } from '../postInThread.js';
import type { SlackContext } from '../SlackContext.js';
import { toFileRefs } from '../slackFiles.js';

/** A message addressed to the bot: a mention in a channel, or any message in a DM. */
export interface AddressedMessage {
  teamId: string;
  channelId: string;
  userId: string;
  ts: string;
  threadTs: string | undefined;
  text: string;
  files: unknown;
  eventId: string | undefined;
}

/**
 * Turns a message addressed to the bot into a job: `imagine …` generates images, attached images are
 * described, and a message without files inside a thread is a follow-up question about the thread's
 * image. The job goes through admission; replies go to the message's thread, and a refusal is shown
 * to the sender only.
 */
export function handleAddressedMessage(
  context: SlackContext,
  runner: JobRunner,
  message: AddressedMessage,
): void {
  const target: SlackJobTarget = {
    teamId: message.teamId,
    channelId: message.channelId,
    userId: message.userId,
    threadTs: message.threadTs ?? message.ts,
    ...(message.eventId ? { interactionId: message.eventId } : {}),
  };
  // Replaced by the queue's job id on admission.
  const jobId = newJobId();
  const logger = requestLogger(context.core.logger, {
    platform: 'slack',
    guild: target.teamId,
    channel: target.channelId,
    user: target.userId,
    interaction: message.eventId,
  });

  let request: ReturnType<typeof parseMentionText>;
  try {
    request = parseMentionText(message.text);
  } catch (error) {
    const failure = toIrisError(error);
    logger.info({ code: failure.code, ...failure.details }, 'request rejected');
    runner.defer(logger, async () => {
      await postInThread(context, target, failure.userMessage);
    });
    return;
  }

  const admit = (job: QueuedSlackJob) =>
    runner.defer(logger, async () => {
      await admitJob(context, runner, logger.child({ command: job.command }), job, {
        tell: (text) => tellUser(context, { target }, text),
      });
    });

  if (request.command === 'imagine') {
    admit({ command: 'imagine', jobId, target, options: request.options });
    return;
  }

  const files = toFileRefs(message.files);
  const inThread = message.threadTs !== undefined && message.threadTs !== message.ts;
  admit({
    command: 'describe',
    jobId,
    target,
    files,
    options: {
      ...(request.mode ? { mode: request.mode } : {}),
      ...(request.question ? { question: request.question } : {}),
    },
    ...(files.length === 0 && inThread ? { followUp: { messageTs: message.ts } } : {}),
  });
}
