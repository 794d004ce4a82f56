import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { guildCreatePayload } from './guildPayload.js';
import { shardOf } from './snowflake.js';
import type { DiscordState } from './state.js';

// Gateway opcodes, as Discord numbers them.
const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Resume: 6,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
};
// Close code Discord sends for a wrong token.
const AUTHENTICATION_FAILED = 4004;
const HEARTBEAT_INTERVAL_MS = 41_250;

interface Session {
  socket: WebSocket;
  sequence: number;
  identified: boolean;
  /** `[shard id, shard count]` from IDENTIFY; `[0, 1]` when the bot does not shard. */
  shard: [number, number];
}

/** Where a dispatch goes when not by its `guild_id`. */
export interface DispatchOptions {
  /** Send to the sessions of this shard id instead of the guild's shard (as after a resharding). */
  shard?: number;
}

/**
 * The WebSocket gateway: HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats and dispatches. Sharding as
 * Discord does it: a session identifies with `shard: [id, count]`, READY and GUILD_CREATE cover only
 * that shard's guilds, and a guild's events go to shard `(guild_id >> 22) % count` (DMs to shard 0).
 */
export class Gateway {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<Session>();
  /** Shard of each session id READY gave out, so a RESUME can continue that session. */
  private readonly sessionShards = new Map<string, [number, number]>();
  /**
   * Whether RESUME continues the session (RESUMED, with no events replayed); when false, the default,
   * the gateway replies to RESUME with an invalid session and the bot identifies again.
   */
  resumable = false;
  /** Connections opened during `hold()`, waiting for their HELLO; undefined when not holding. */
  private held: Session[] | undefined;
  /** Every payload the bot sent, in order. */
  readonly received: Array<{ op: number; d: unknown }> = [];
  /** Resolves once a session has received READY and GUILD_CREATE. */
  readonly ready: Promise<void>;
  private markReady: () => void = () => {};

  constructor(
    private readonly state: DiscordState,
    private readonly token: string,
    private readonly url: () => string,
  ) {
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(request, socket, head, (ws) => this.open(ws));
  }

  private open(socket: WebSocket): void {
    const session: Session = { socket, sequence: 0, identified: false, shard: [0, 1] };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    socket.on('message', (raw) =>
      this.receive(session, JSON.parse(raw.toString()) as { op: number; d: unknown }),
    );
    if (this.held) this.held.push(session);
    else this.hello(session);
  }

  private hello(session: Session): void {
    this.send(session, { op: Op.Hello, d: { heartbeat_interval: HEARTBEAT_INTERVAL_MS }, s: null, t: null });
  }

  /**
   * Accepts new connections but sends them no HELLO until `release()`, as a gateway that is slow to
   * come back: a bot that reconnects stays connecting meanwhile.
   */
  hold(): void {
    this.held ??= [];
  }

  /** Sends HELLO to the held connections that are still open and stops holding new ones. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const session of held) if (this.sessions.has(session)) this.hello(session);
  }

  /** Cuts every connection without a close frame, as a network drop does (the bot gets close code 1006). */
  dropConnections(): void {
    for (const session of this.sessions) session.socket.terminate();
  }

  private receive(session: Session, payload: { op: number; d: unknown }): void {
    this.received.push(payload);
    if (payload.op === Op.Heartbeat) {
      this.send(session, { op: Op.HeartbeatAck, d: null, s: null, t: null });
      return;
    }
    if (payload.op === Op.Resume) {
      this.resume(session, payload.d as { token?: string; session_id?: string; seq?: number });
      return;
    }
    if (payload.op !== Op.Identify) return;

    const identify = payload.d as { token?: string; shard?: [number, number] };
    if (!this.validToken(identify.token)) {
      session.socket.close(AUTHENTICATION_FAILED, 'Authentication failed.');
      return;
    }
    session.identified = true;
    if (identify.shard !== undefined) session.shard = identify.shard;
    const [shardId, shardCount] = session.shard;
    const guilds = this.state.guilds.filter((guildId) => shardOf(guildId, shardCount) === shardId);
    const sessionId = `session-${Date.now()}-${this.sessionShards.size}`;
    this.sessionShards.set(sessionId, session.shard);
    this.dispatchTo(session, 'READY', {
      v: 10,
      user: this.state.botUser,
      guilds: guilds.map((id) => ({ id, unavailable: true })),
      session_id: sessionId,
      resume_gateway_url: this.url(),
      shard: session.shard,
      application: { id: this.state.applicationId, flags: 0 },
    });
    for (const guildId of guilds)
      this.dispatchTo(session, 'GUILD_CREATE', guildCreatePayload(this.state, guildId));
    this.markReady();
  }

  private validToken(token: string | undefined): boolean {
    return token === this.token || token === `Bot ${this.token}`;
  }

  private resume(session: Session, resume: { token?: string; session_id?: string; seq?: number }): void {
    const shard = this.sessionShards.get(resume.session_id ?? '');
    if (!this.resumable || shard === undefined || !this.validToken(resume.token)) {
      this.send(session, { op: Op.InvalidSession, d: false, s: null, t: null });
      return;
    }
    session.identified = true;
    session.shard = shard;
    session.sequence = resume.seq ?? 0;
    this.dispatchTo(session, 'RESUMED', {});
  }

  private dispatchTo(session: Session, event: string, data: unknown): void {
    session.sequence++;
    this.send(session, { op: Op.Dispatch, d: data, s: session.sequence, t: event });
  }

  private send(session: Session, payload: unknown): void {
    session.socket.send(JSON.stringify(payload));
  }

  /** Shard ids of the identified sessions, in the order they connected. */
  get shards(): number[] {
    return [...this.sessions].filter((session) => session.identified).map((session) => session.shard[0]);
  }

  /**
   * Sends a dispatch event to every identified session of the shard it belongs to: the shard of its
   * `guild_id`, shard 0 when it has none, or `options.shard`. Returns how many sessions received it.
   */
  dispatch(event: string, data: unknown, options: DispatchOptions = {}): number {
    const guildId = (data as { guild_id?: unknown } | null)?.guild_id;
    let count = 0;
    for (const session of this.sessions) {
      if (!session.identified) continue;
      const [shardId, shardCount] = session.shard;
      const target = options.shard ?? shardOf(typeof guildId === 'string' ? guildId : undefined, shardCount);
      if (target !== shardId) continue;
      this.dispatchTo(session, event, data);
      count++;
    }
    return count;
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
