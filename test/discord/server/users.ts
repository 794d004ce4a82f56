import { type APIMessage, ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import type { LocalDiscord } from './localDiscord.js';
import { newSnowflake } from './snowflake.js';
import type { InteractionRecord } from './state.js';

/** Every permission bit set, as a decimal string. */
export const ALL_PERMISSIONS = (1n << 51n) - 1n;

/** A user of the local guild, as test code plays them. */
export interface TestUser {
  id: string;
  username: string;
}

export function newUser(username = 'alice'): TestUser {
  return { id: newSnowflake(), username };
}

export interface InteractionContext {
  channelId: string;
  user: TestUser;
  /** Permissions of the bot in the channel; defaults to all. */
  appPermissions?: bigint;
  /** Permissions of the user in the channel; defaults to none beyond sending messages. */
  memberPermissions?: bigint;
  /** Largest upload the channel accepts, in bytes, as Discord reports it on interactions. */
  attachmentSizeLimit?: number;
  /** Deliver to this shard instead of the guild's, as Discord does to the new owner after a resharding. */
  shard?: number;
}

export interface AttachmentInput {
  filename: string;
  contentType: string;
  data: Buffer;
  /** Size the attachment declares; defaults to the real size. */
  declaredSize?: number;
}

function userPayload(user: TestUser) {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.username,
    avatar: null,
  };
}

/** Dispatches INTERACTION_CREATE for a payload and records the interaction; returns its record. */
function dispatchInteraction(
  discord: LocalDiscord,
  context: InteractionContext,
  fields: Record<string, unknown>,
  sourceMessageId?: string,
): InteractionRecord {
  const channel = discord.state.channels.get(context.channelId);
  if (!channel) throw new Error(`Unknown channel ${context.channelId}`);
  const guildId = 'guild_id' in channel ? (channel.guild_id as string | undefined) : undefined;
  const record: InteractionRecord = {
    id: newSnowflake(),
    token: `interaction-token-${newSnowflake()}`,
    channelId: channel.id,
    guildId,
    createdAt: Date.now(),
    acknowledgedAt: undefined,
    callbackType: undefined,
    ephemeral: false,
    originalMessageId: undefined,
    sourceMessageId,
  };
  discord.state.interactions.set(record.id, record);

  const user = userPayload(context.user);
  const payload = {
    id: record.id,
    application_id: discord.state.applicationId,
    token: record.token,
    version: 1,
    channel,
    channel_id: channel.id,
    locale: 'en-US',
    app_permissions: String(context.appPermissions ?? ALL_PERMISSIONS),
    entitlements: [],
    authorizing_integration_owners: { '0': guildId ?? discord.state.guildId },
    context: guildId ? 0 : 1,
    attachment_size_limit: context.attachmentSizeLimit ?? discord.settings.uploadLimitBytes,
    ...(guildId
      ? {
          guild_id: guildId,
          guild_locale: 'en-US',
          member: {
            user,
            roles: [],
            permissions: String(context.memberPermissions ?? 1n << 11n),
            joined_at: new Date().toISOString(),
            deaf: false,
            mute: false,
            flags: 0,
          },
        }
      : { user }),
    ...fields,
  };
  discord.gateway.dispatch('INTERACTION_CREATE', payload, { shard: context.shard });
  return record;
}

/** Runs a slash command; `attachments` fill attachment options by name. */
export function runSlashCommand(
  discord: LocalDiscord,
  context: InteractionContext,
  name: string,
  options: Record<string, string | number | boolean>,
  attachments: Record<string, AttachmentInput> = {},
): InteractionRecord {
  const resolved: Record<string, unknown> = {};
  const optionList: Array<Record<string, unknown>> = [];
  for (const [option, value] of Object.entries(options)) {
    const type =
      typeof value === 'boolean'
        ? ApplicationCommandOptionType.Boolean
        : typeof value === 'number'
          ? Number.isInteger(value)
            ? ApplicationCommandOptionType.Integer
            : ApplicationCommandOptionType.Number
          : ApplicationCommandOptionType.String;
    optionList.push({ name: option, type, value });
  }
  for (const [option, attachment] of Object.entries(attachments)) {
    const file = discord.addFile(attachment.filename, attachment.contentType, attachment.data);
    resolved[file.id] = {
      id: file.id,
      filename: attachment.filename,
      size: attachment.declaredSize ?? attachment.data.length,
      url: file.url,
      proxy_url: file.url,
      content_type: attachment.contentType,
    };
    optionList.push({ name: option, type: ApplicationCommandOptionType.Attachment, value: file.id });
  }
  return dispatchInteraction(discord, context, {
    type: 2,
    data: {
      id: newSnowflake(),
      name,
      type: ApplicationCommandType.ChatInput,
      options: optionList,
      resolved: { attachments: resolved },
    },
  });
}

/** Uses a message context menu command on `target`. */
export function runMessageMenu(
  discord: LocalDiscord,
  context: InteractionContext,
  name: string,
  target: APIMessage,
): InteractionRecord {
  return dispatchInteraction(discord, context, {
    type: 2,
    data: {
      id: newSnowflake(),
      name,
      type: ApplicationCommandType.Message,
      target_id: target.id,
      resolved: { messages: { [target.id]: target } },
    },
  });
}

/** Presses a button of `message`. */
export function pressButton(
  discord: LocalDiscord,
  context: InteractionContext,
  message: APIMessage,
  customId: string,
): InteractionRecord {
  return dispatchInteraction(
    discord,
    context,
    { type: 3, message, data: { custom_id: customId, component_type: 2 } },
    message.id,
  );
}

/** Posts a message as a user (stored, then dispatched as MESSAGE_CREATE); returns it. */
export function postUserMessage(
  discord: LocalDiscord,
  channelId: string,
  user: TestUser,
  content: string,
  options: {
    mentionBot?: boolean;
    attachments?: AttachmentInput[];
    /** Message type as Discord numbers it; 0 (a plain message) by default, 6 for a pin notice. */
    type?: number;
  } = {},
): APIMessage {
  const channel = discord.state.channels.get(channelId);
  const guildId = channel && 'guild_id' in channel ? (channel.guild_id as string | undefined) : undefined;
  const attachments = (options.attachments ?? []).map((attachment) => {
    const file = discord.addFile(attachment.filename, attachment.contentType, attachment.data);
    return {
      id: file.id,
      filename: attachment.filename,
      size: attachment.declaredSize ?? attachment.data.length,
      url: file.url,
      proxy_url: file.url,
      content_type: attachment.contentType,
    };
  });
  const message = {
    id: newSnowflake(),
    channel_id: channelId,
    ...(guildId ? { guild_id: guildId } : {}),
    author: userPayload(user),
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: options.mentionBot ? [discord.state.botUser] : [],
    mention_roles: [],
    attachments,
    embeds: [],
    pinned: false,
    type: options.type ?? 0,
    flags: 0,
    components: [],
  } as unknown as APIMessage;
  discord.state.messages.set(message.id, message);
  discord.gateway.dispatch('MESSAGE_CREATE', {
    ...message,
    ...(guildId
      ? { member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false } }
      : {}),
  });
  return message;
}

/** Runs `/name subcommand` with options; channel options (by name) are resolved as Discord sends them. */
export function runSubcommand(
  discord: LocalDiscord,
  context: InteractionContext,
  name: string,
  subcommand: string,
  options: Record<string, string | number | boolean> = {},
  channelOptions: Record<string, string> = {},
): InteractionRecord {
  const optionList: Array<Record<string, unknown>> = Object.entries(options).map(([option, value]) => ({
    name: option,
    type:
      typeof value === 'boolean'
        ? ApplicationCommandOptionType.Boolean
        : typeof value === 'number'
          ? ApplicationCommandOptionType.Integer
          : ApplicationCommandOptionType.String,
    value,
  }));
  const channels: Record<string, unknown> = {};
  for (const [option, channelId] of Object.entries(channelOptions)) {
    const channel = discord.state.channels.get(channelId);
    channels[channelId] = { ...channel, permissions: String(ALL_PERMISSIONS) };
    optionList.push({ name: option, type: ApplicationCommandOptionType.Channel, value: channelId });
  }
  return dispatchInteraction(discord, context, {
    type: 2,
    data: {
      id: newSnowflake(),
      name,
      type: ApplicationCommandType.ChatInput,
      options: [{ name: subcommand, type: ApplicationCommandOptionType.Subcommand, options: optionList }],
      resolved: { channels },
    },
  });
}
