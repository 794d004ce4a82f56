import type { APIMessage } from 'discord-api-types/v10';
import { discordError } from './httpError.js';
import { createMessage, editMessage } from './messages.js';
import type { Route, RouteContext, RouteRequest } from './routeTypes.js';
import type { InteractionRecord } from './state.js';

const EPHEMERAL = 64;
// Message flag Discord sets on the "thinking" placeholder of a deferred reply.
const LOADING = 128;

function liveInteraction(request: RouteRequest, context: RouteContext): InteractionRecord {
  const record = [...context.state.interactions.values()].find(
    (interaction) => interaction.token === request.params.token,
  );
  if (!record) throw discordError(10015);
  if (Date.now() - record.createdAt > context.settings.tokenTtlMs) throw discordError(50027);
  return record;
}

function resolveMessageId(record: InteractionRecord, id: string | undefined): string {
  // discord.js sends `@original` percent-encoded as `%40original`.
  const messageId =
    id !== undefined && decodeURIComponent(id) === '@original' ? record.originalMessageId : id;
  if (!messageId) throw discordError(10008);
  return messageId;
}

function callback(request: RouteRequest, context: RouteContext): { status: number; body?: unknown } {
  const { state, settings } = context;
  const record = state.interactions.get(request.params.id ?? '');
  if (!record || record.token !== request.params.token) throw discordError(10062);
  if (record.acknowledgedAt !== undefined) throw discordError(40060);
  if (Date.now() - record.createdAt > settings.acknowledgeWindowMs) throw discordError(10062);

  const type = Number(request.body.type);
  const data = (request.body.data ?? {}) as RouteRequest['body'];
  const ephemeral = (Number(data.flags ?? 0) & EPHEMERAL) !== 0;
  let message: APIMessage | undefined;
  if (type === 4) {
    message = createMessage(state, record.channelId, data, request.files, settings);
  } else if (type === 5) {
    message = createMessage(
      state,
      record.channelId,
      { content: '…', flags: (data.flags ?? 0) | LOADING },
      [],
      settings,
    );
    message.content = '';
  } else if (type === 7 && record.sourceMessageId) {
    message = editMessage(state, record.sourceMessageId, data, request.files, settings);
  }
  record.acknowledgedAt = Date.now();
  record.callbackType = type;
  record.ephemeral = ephemeral;
  if (message && type !== 7) record.originalMessageId = message.id;

  if (request.query.get('with_response') !== 'true') return { status: 204 };
  return {
    status: 200,
    body: {
      interaction: {
        id: record.id,
        type: 2,
        response_message_id: message?.id,
        response_message_loading: type === 5,
        response_message_ephemeral: ephemeral,
      },
      ...(message ? { resource: { type, message } } : {}),
    },
  };
}

/** Interaction callbacks and the interaction webhook: `@original` and follow-up messages. */
export const interactionRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/interactions\/(?<id>\d+)\/(?<token>[^/]+)\/callback$/,
    botAuth: false,
    handle: callback,
  },
  {
    method: 'POST',
    pattern: /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)$/,
    botAuth: false,
    handle(request, context) {
      const record = liveInteraction(request, context);
      if (record.acknowledgedAt === undefined) throw discordError(10015);
      const message = createMessage(
        context.state,
        record.channelId,
        request.body,
        request.files,
        context.settings,
      );
      return { status: 200, body: message };
    },
  },
  {
    method: 'GET',
    pattern: /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)\/messages\/(?<message>[^/]+)$/,
    botAuth: false,
    handle(request, context) {
      const record = liveInteraction(request, context);
      const message = context.state.messages.get(resolveMessageId(record, request.params.message));
      if (!message) throw discordError(10008);
      return { status: 200, body: message };
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)\/messages\/(?<message>[^/]+)$/,
    botAuth: false,
    handle(request, context) {
      const record = liveInteraction(request, context);
      const id = resolveMessageId(record, request.params.message);
      const message = editMessage(context.state, id, request.body, request.files, context.settings);
      if ((Number(message.flags ?? 0) & LOADING) !== 0) message.flags = Number(message.flags) & ~LOADING;
      return { status: 200, body: message };
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)\/messages\/(?<message>[^/]+)$/,
    botAuth: false,
    handle(request, context) {
      const record = liveInteraction(request, context);
      const id = resolveMessageId(record, request.params.message);
      if (!context.state.messages.delete(id)) throw discordError(10008);
      return { status: 204 };
    },
  },
];
