import { type APIChannel, type APIThreadChannel, ChannelType } from 'discord-api-types/v10';
import { discordError } from './httpError.js';
import { createMessage, editMessage } from './messages.js';
import type { Route, RouteContext, RouteRequest } from './routeTypes.js';

const THREAD_TYPES = new Set([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

function channelOf(request: RouteRequest, context: RouteContext): APIChannel {
  const channel = context.state.channels.get(request.params.channel ?? '');
  if (!channel) throw discordError(10003);
  return channel;
}

function checkWritable(channel: APIChannel): void {
  if (!THREAD_TYPES.has(channel.type)) return;
  const metadata = (channel as APIThreadChannel).thread_metadata;
  if (metadata?.locked) throw discordError(160005);
  if (metadata?.archived) throw discordError(50083);
}

function messageIn(request: RouteRequest, context: RouteContext, channelId: string) {
  const message = context.state.messages.get(request.params.message ?? '');
  if (!message || message.channel_id !== channelId) throw discordError(10008);
  return message;
}

/** Channels, their messages (multipart uploads included) and threads started from a message. */
export const channelRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/channels\/(?<channel>\d+)$/,
    botAuth: true,
    handle: (request, context) => ({ status: 200, body: channelOf(request, context) }),
  },
  {
    method: 'GET',
    pattern: /^\/channels\/(?<channel>\d+)\/messages$/,
    botAuth: true,
    handle(request, context) {
      const channel = channelOf(request, context);
      const limit = Number(request.query.get('limit') ?? 50);
      const messages = context.state.channelMessages(channel.id).reverse().slice(0, limit);
      return { status: 200, body: messages };
    },
  },
  {
    method: 'GET',
    pattern: /^\/channels\/(?<channel>\d+)\/messages\/(?<message>\d+)$/,
    botAuth: true,
    handle(request, context) {
      const channel = channelOf(request, context);
      return { status: 200, body: messageIn(request, context, channel.id) };
    },
  },
  {
    method: 'POST',
    pattern: /^\/channels\/(?<channel>\d+)\/messages$/,
    botAuth: true,
    handle(request, context) {
      const channel = channelOf(request, context);
      checkWritable(channel);
      const message = createMessage(context.state, channel.id, request.body, request.files, context.settings);
      return { status: 200, body: message };
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/channels\/(?<channel>\d+)\/messages\/(?<message>\d+)$/,
    botAuth: true,
    handle(request, context) {
      const channel = channelOf(request, context);
      checkWritable(channel);
      const message = messageIn(request, context, channel.id);
      const body = editMessage(context.state, message.id, request.body, request.files, context.settings);
      return { status: 200, body };
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/channels\/(?<channel>\d+)\/messages\/(?<message>\d+)$/,
    botAuth: true,
    handle(request, context) {
      const channel = channelOf(request, context);
      context.state.messages.delete(messageIn(request, context, channel.id).id);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    pattern: /^\/channels\/(?<channel>\d+)\/messages\/(?<message>\d+)\/threads$/,
    botAuth: true,
    handle(request, context) {
      const channel = channelOf(request, context);
      const message = messageIn(request, context, channel.id);
      if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) {
        throw discordError(50024);
      }
      // A thread started from a message takes the message's id, so a second one cannot exist.
      if (context.state.channels.has(message.id)) throw discordError(160004);
      const thread = {
        id: message.id,
        type: ChannelType.PublicThread,
        guild_id: 'guild_id' in channel ? channel.guild_id : context.state.guildId,
        parent_id: channel.id,
        name: String(request.body.name ?? 'thread'),
        owner_id: context.state.botUser.id,
        message_count: 0,
        member_count: 1,
        thread_metadata: {
          archived: false,
          locked: false,
          auto_archive_duration: Number(request.body.auto_archive_duration ?? 1440),
          archive_timestamp: new Date().toISOString(),
        },
      } as unknown as APIChannel;
      context.state.channels.set(thread.id, thread);
      Object.assign(message, { thread });
      return { status: 201, body: thread };
    },
  },
];
