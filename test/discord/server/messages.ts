import type { APIAttachment, APIMessage } from 'discord-api-types/v10';
import { DiscordHttpError, discordError } from './httpError.js';
import { newSnowflake } from './snowflake.js';
import type { DiscordState } from './state.js';

/** Discord's limit for a message's content, in characters. */
export const MAX_CONTENT_LENGTH = 2000;
const EPHEMERAL = 64;

export interface UploadedFile {
  /** Form field index: `files[n]` becomes n. */
  index: number;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface MessageBody {
  content?: string;
  flags?: number;
  embeds?: unknown[];
  components?: unknown[];
  attachments?: Array<{ id: number | string; description?: string; filename?: string }>;
  allowed_mentions?: unknown;
}

export interface MessageLimits {
  /** Largest request the channel accepts for uploads, in bytes (all files together). */
  uploadLimitBytes: number;
  cdnBase: string;
}

function checkContent(body: MessageBody): void {
  const content = body.content ?? '';
  if (content.length > MAX_CONTENT_LENGTH) {
    throw discordError(50035, {
      content: {
        _errors: [
          { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_CONTENT_LENGTH} or fewer in length.` },
        ],
      },
    });
  }
}

function storeAttachments(
  state: DiscordState,
  channelId: string,
  body: MessageBody,
  files: UploadedFile[],
  limits: MessageLimits,
): APIAttachment[] {
  const total = files.reduce((sum, file) => sum + file.data.length, 0);
  if (total > limits.uploadLimitBytes) throw discordError(40005);
  return files.map((file) => {
    const id = newSnowflake();
    const declared = body.attachments?.find((attachment) => Number(attachment.id) === file.index);
    state.files.set(id, { data: file.data, contentType: file.contentType, filename: file.filename });
    const url = `${limits.cdnBase}/attachments/${channelId}/${id}/${file.filename}`;
    return {
      id,
      filename: file.filename,
      size: file.data.length,
      url,
      proxy_url: url,
      content_type: file.contentType,
      ...(declared?.description ? { description: declared.description } : {}),
    };
  });
}

/** Creates a message from a REST body, enforcing Discord's content, emptiness and upload limits. */
export function createMessage(
  state: DiscordState,
  channelId: string,
  body: MessageBody,
  files: UploadedFile[],
  limits: MessageLimits,
  extra: Partial<APIMessage> = {},
): APIMessage {
  checkContent(body);
  const attachments = storeAttachments(state, channelId, body, files, limits);
  const empty = !body.content && attachments.length === 0 && (body.embeds ?? []).length === 0;
  if (empty) throw discordError(50006);

  const channel = state.channels.get(channelId);
  const message = {
    id: newSnowflake(),
    channel_id: channelId,
    ...(channel && 'guild_id' in channel && channel.guild_id ? { guild_id: channel.guild_id } : {}),
    author: state.botUser,
    content: body.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments,
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    pinned: false,
    type: 0,
    flags: body.flags ?? 0,
    ...extra,
  } as APIMessage;
  state.messages.set(message.id, message);
  return message;
}

/** Applies a PATCH body to a stored message. */
export function editMessage(
  state: DiscordState,
  messageId: string,
  body: MessageBody,
  files: UploadedFile[],
  limits: MessageLimits,
): APIMessage {
  const message = state.messages.get(messageId);
  if (!message) throw discordError(10008);
  checkContent(body);
  const kept = body.attachments
    ? message.attachments.filter((attachment) => body.attachments?.some((item) => item.id === attachment.id))
    : message.attachments;
  const added = storeAttachments(state, message.channel_id, body, files, limits);
  Object.assign(message, {
    ...(body.content !== undefined ? { content: body.content } : {}),
    ...(body.embeds !== undefined ? { embeds: body.embeds } : {}),
    ...(body.components !== undefined ? { components: body.components } : {}),
    attachments: [...kept, ...added],
    edited_timestamp: new Date().toISOString(),
  });
  if (!message.content && message.attachments.length === 0 && message.embeds.length === 0) {
    throw new DiscordHttpError(400, 50006, 'Cannot send an empty message');
  }
  return message;
}

export function isEphemeral(message: APIMessage): boolean {
  return (Number(message.flags ?? 0) & EPHEMERAL) !== 0;
}
