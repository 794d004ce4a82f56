import { type APIMessage, RESTJSONErrorCodes, Routes } from 'discord-api-types/v10';
import type { Logger } from '../../src/logging/logger.js';
import { startThread } from './anchor.js';
import type { DiscordContext } from './context.js';
import { discordErrorCode, logDiscordError, recordDiscordError } from './discordErrors.js';
import type { DiscordJob } from './job.js';

/**
 * Finds the thread already started from the anchor message, for a job whose thread an earlier run
 * created before it stopped (Discord then rejects a second start with error 160004). Reads the anchor's
 * `thread` field. A thread started from a message has the message's id, so when that field is absent
 * the channel with the anchor's id is asked for. Never throws: returns undefined after logging why.
 */
async function findStartedThread(
  context: DiscordContext,
  job: DiscordJob,
  anchorMessageId: string,
  logger: Logger,
): Promise<string | undefined> {
  try {
    const anchor = (await context.rest.get(
      Routes.channelMessage(job.ids.channel, anchorMessageId),
    )) as APIMessage;
    if (anchor.thread !== undefined) return anchor.thread.id;

    const channel = (await context.rest.get(Routes.channel(anchorMessageId))) as {
      parent_id?: string | null;
    };
    return channel.parent_id === job.ids.channel ? anchorMessageId : undefined;
  } catch (error) {
    logDiscordError(context.core.metrics, logger, error, 'find thread of anchor');
    return undefined;
  }
}

/**
 * Starts the job's thread from its anchor. When an earlier run of the job already started it before
 * the process stopped, Discord rejects a second start with 160004 and that thread is used instead.
 * Returns undefined when there is no thread to use, after logging why.
 */
export async function openThread(
  context: DiscordContext,
  job: DiscordJob,
  anchorMessageId: string,
  logger: Logger,
): Promise<string | undefined> {
  try {
    return await startThread(context, job, anchorMessageId);
  } catch (error) {
    if (discordErrorCode(error) === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) {
      recordDiscordError(context.core.metrics, error);
      const threadId = await findStartedThread(context, job, anchorMessageId, logger);
      if (threadId !== undefined) {
        logger.info(
          { discordCode: 160004, thread: threadId },
          'thread was started by an earlier run; using it',
        );
        return threadId;
      }
      logger.warn({ discordCode: 160004 }, 'thread was started by an earlier run but could not be found');
      return undefined;
    }
    logDiscordError(context.core.metrics, logger, error, 'start thread');
    return undefined;
  }
}
