import type { App } from '@slack/bolt';
import type { Logger } from '../../../src/logging/logger.js';
import type { JobRunner } from '../JobRunner.js';
import type { SlackContext } from '../SlackContext.js';
import { type AddressedMessage, handleAddressedMessage } from './addressedMessage.js';

/** The fields of `app_mention` and `message` events that Iris reads. */
interface MessageLikeEvent {
  type: string;
  subtype?: string;
  channel: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  files?: unknown;
}

interface EventEnvelope {
  event_id?: string;
  team_id?: string;
}

// Message subtypes that are a person posting: a plain message, or one with files.
const USER_MESSAGE_SUBTYPES = new Set([undefined, 'file_share']);

async function dispatch(
  context: SlackContext,
  runner: JobRunner,
  logger: Logger,
  event: MessageLikeEvent,
  body: EventEnvelope,
): Promise<void> {
  if (event.user === undefined || event.bot_id !== undefined) return;
  const message: AddressedMessage = {
    teamId: body.team_id ?? '',
    channelId: event.channel,
    userId: event.user,
    ts: event.ts,
    threadTs: event.thread_ts,
    text: event.text ?? '',
    files: event.files,
    eventId: body.event_id,
  };

  let first: boolean;
  try {
    first = await context.dedupe.claim({
      eventId: body.event_id,
      channelId: event.channel,
      messageTs: event.ts,
    });
  } catch (error) {
    // Answering twice is better than dropping the message; admission still guards /imagine.
    logger.warn(
      { err: error, interaction: body.event_id },
      'event dedupe store unreachable; handling the event',
    );
    first = true;
  }
  if (!first) {
    logger.info(
      { interaction: body.event_id, guild: message.teamId, channel: message.channelId, user: message.userId },
      'duplicate event ignored',
    );
    return;
  }
  handleAddressedMessage(context, runner, message);
}

/**
 * Registers the event listeners: mentions in channels, and messages in direct messages (with or
 * without files). Bolt acknowledges events before calling these, and the work runs after that.
 */
export function registerEventHandlers(
  app: App,
  context: SlackContext,
  runner: JobRunner,
  logger: Logger,
): void {
  app.event('app_mention', async ({ event, body }) => {
    await dispatch(context, runner, logger, event as unknown as MessageLikeEvent, body as EventEnvelope);
  });

  app.event('message', async ({ event, body }) => {
    const message = event as unknown as MessageLikeEvent;
    if (message.channel_type !== 'im' || !USER_MESSAGE_SUBTYPES.has(message.subtype)) return;
    await dispatch(context, runner, logger, message, body as EventEnvelope);
  });
}
