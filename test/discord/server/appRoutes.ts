import { discordError } from './httpError.js';
import type { Route } from './routeTypes.js';

/** Gateway discovery, the application, command registration and member lookups. */
export const appRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/gateway\/bot$/,
    botAuth: true,
    handle: (_request, context) => ({
      status: 200,
      body: {
        url: context.settings.gatewayUrl,
        shards: context.settings.shardCount,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      },
    }),
  },
  {
    method: 'GET',
    pattern: /^\/applications\/@me$/,
    botAuth: true,
    handle: (_request, context) => ({
      status: 200,
      body: { id: context.state.applicationId, name: 'Iris', bot: context.state.botUser, flags: 0 },
    }),
  },
  {
    method: 'PUT',
    pattern: /^\/applications\/(?<app>\d+)(\/guilds\/(?<guild>\d+))?\/commands$/,
    botAuth: true,
    handle(request, context) {
      if (request.params.app !== context.state.applicationId) throw discordError(50001);
      const commands = (request.body as unknown as Array<Record<string, unknown>>).map((command, index) => ({
        ...command,
        id: `${index + 1}`,
        application_id: context.state.applicationId,
        version: '1',
        ...(request.params.guild ? { guild_id: request.params.guild } : {}),
      }));
      return { status: 200, body: commands };
    },
  },
  {
    method: 'GET',
    pattern: /^\/guilds\/(?<guild>\d+)\/members\/(?<user>\d+)$/,
    botAuth: true,
    handle(request, context) {
      const member = context.settings.members.get(request.params.user ?? '');
      if (!member || !context.state.guilds.includes(request.params.guild ?? '')) throw discordError(10007);
      return { status: 200, body: member };
    },
  },
];
