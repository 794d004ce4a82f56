import { makeURLSearchParams, type RawFile } from 'discord.js';
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIMessage,
  MessageFlags,
  Routes,
} from 'discord-api-types/v10';
import { IrisError } from '../../src/errors/IrisError.js';
import type { DiscordContext } from './context.js';
import type { DiscordJob } from './job.js';

export interface OutgoingFile {
  name: string;
  data: Buffer;
  contentType: string;
  /** Alt text, at most 1024 characters. */
  description?: string;
}

export interface OutgoingMessage {
  content?: string;
  files?: OutgoingFile[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  /** The one user this message may ping; every other mention stays silent. */
  pingUser?: string;
}

/** A place results are posted to: a channel or thread, or the interaction's follow-ups. */
export interface ReplyTarget {
  send(message: OutgoingMessage): Promise<string>;
  edit(messageId: string, message: OutgoingMessage): Promise<void>;
}

function messageBody(message: OutgoingMessage, flags?: number): Record<string, unknown> {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    allowed_mentions: { parse: [], users: message.pingUser ? [message.pingUser] : [] },
    ...(message.components ? { components: message.components } : {}),
    ...(message.files
      ? {
          attachments: message.files.map((file, index) => ({
            id: index,
            filename: file.name,
            ...(file.description ? { description: file.description } : {}),
          })),
        }
      : {}),
    ...(flags ? { flags } : {}),
  };
}

function rawFiles(message: OutgoingMessage): RawFile[] | undefined {
  return message.files?.map((file) => ({ name: file.name, data: file.data, contentType: file.contentType }));
}

/** Posts as the bot into a channel or thread; works for as long as the bot can see it. */
export function channelTarget(context: DiscordContext, channelId: string): ReplyTarget {
  return {
    async send(message) {
      const created = (await context.rest.post(Routes.channelMessages(channelId), {
        body: messageBody(message),
        files: rawFiles(message),
      })) as APIMessage;
      return created.id;
    },
    async edit(messageId, message) {
      await context.rest.patch(Routes.channelMessage(channelId, messageId), { body: messageBody(message) });
    },
  };
}

/** Whether the interaction token can still be used, keeping a margin for the call itself. */
export function interactionTokenAlive(context: DiscordContext, job: DiscordJob, now = Date.now()): boolean {
  const margin = Math.min(30_000, context.settings.interactionTtlMs / 10);
  return now - job.interactionCreatedAt < context.settings.interactionTtlMs - margin;
}

const EXPIRED_NOTE =
  '(Discord stops accepting replies to a command after 15 minutes, so this result is posted as a normal message.)';

/**
 * Posts as follow-ups of the interaction. Once the token has expired, public results continue as
 * ordinary messages in the channel, and the first one explains why; private ones cannot be delivered.
 */
export function interactionTarget(context: DiscordContext, job: DiscordJob): ReplyTarget {
  const ephemeral = job.delivery === 'ephemeral';
  const channel = channelTarget(context, job.ids.channel);
  const webhookRoute = Routes.webhook(job.ids.application, job.interactionToken);
  let explained = false;

  const expired = () => {
    if (!ephemeral) return;
    throw new IrisError('CANCELLED', 'The interaction token expired before a private result was ready.', {
      userMessage: 'This private request took longer than Discord allows (15 minutes). Please run it again.',
    });
  };

  return {
    async send(message) {
      if (!interactionTokenAlive(context, job)) {
        expired();
        if (!explained) {
          explained = true;
          await channel.send({ content: `<@${job.ids.user}> ${EXPIRED_NOTE}`, pingUser: job.ids.user });
        }
        return channel.send(message);
      }
      const created = (await context.rest.post(webhookRoute, {
        body: messageBody(message, ephemeral ? MessageFlags.Ephemeral : undefined),
        files: rawFiles(message),
        query: makeURLSearchParams({ wait: true }),
        auth: false,
      })) as APIMessage;
      return created.id;
    },
    async edit(messageId, message) {
      if (!interactionTokenAlive(context, job)) {
        expired();
        return channel.edit(messageId, message);
      }
      await context.rest.patch(Routes.webhookMessage(job.ids.application, job.interactionToken, messageId), {
        body: messageBody(message),
        auth: false,
      });
    },
  };
}
