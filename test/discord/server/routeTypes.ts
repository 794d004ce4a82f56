import type { MessageBody, MessageLimits, UploadedFile } from './messages.js';
import type { DiscordState } from './state.js';

/** A parsed REST request, as a route handler sees it. */
export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: MessageBody & Record<string, unknown>;
  files: UploadedFile[];
}

/** Server settings a route may read; tests may change them between requests. */
export interface ServerSettings extends MessageLimits {
  /** How long an interaction token stays valid, in milliseconds (Discord: 15 minutes). */
  tokenTtlMs: number;
  /** How long the bot has to acknowledge an interaction, in milliseconds (Discord: 3 s). */
  acknowledgeWindowMs: number;
  gatewayUrl: string;
  /** Shard count GET /gateway/bot recommends (Discord: one per 1,000 guilds or so); 1 by default. */
  shardCount: number;
  members: Map<string, Record<string, unknown>>;
}

export interface RouteContext {
  state: DiscordState;
  settings: ServerSettings;
}

/** A REST route: the status and JSON it answers, or a DiscordHttpError thrown. */
export interface Route {
  method: string;
  pattern: RegExp;
  /** Whether the route needs the bot token; webhook routes with an interaction token need none. */
  botAuth: boolean;
  handle(request: RouteRequest, context: RouteContext): { status: number; body?: unknown };
}
