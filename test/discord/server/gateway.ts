import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { guildCreatePayload } from './guildPayload.js';
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
}

/** The WebSocket gateway: HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats and dispatches. */
export class Gateway {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<Session>();
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
    const session: Session = { socket, sequence: 0, identified: false };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    socket.on('message', (raw) =>
      this.receive(session, JSON.parse(raw.toString()) as { op: number; d: unknown }),
    );
    this.send(session, { op: Op.Hello, d: { heartbeat_interval: HEARTBEAT_INTERVAL_MS }, s: null, t: null });
  }

  private receive(session: Session, payload: { op: number; d: unknown }): void {
    this.received.push(payload);
    if (payload.op === Op.Heartbeat) {
      this.send(session, { op: Op.HeartbeatAck, d: null, s: null, t: null });
      return;
    }
    if (payload.op === Op.Resume) {
      this.send(session, { op: Op.InvalidSession, d: false, s: null, t: null });
      return;
    }
    if (payload.op !== Op.Identify) return;

    const identify = payload.d as { token?: string };
    if (identify.token !== this.token && identify.token !== `Bot ${this.token}`) {
      session.socket.close(AUTHENTICATION_FAILED, 'Authentication failed.');
      return;
    }
    session.identified = true;
    this.dispatchTo(session, 'READY', {
      v: 10,
      user: this.state.botUser,
      guilds: [{ id: this.state.guildId, unavailable: true }],
      session_id: `session-${Date.now()}`,
      resume_gateway_url: this.url(),
      shard: [0, 1],
      application: { id: this.state.applicationId, flags: 0 },
    });
    this.dispatchTo(session, 'GUILD_CREATE', guildCreatePayload(this.state));
    this.markReady();
  }

  private dispatchTo(session: Session, event: string, data: unknown): void {
    session.sequence++;
    this.send(session, { op: Op.Dispatch, d: data, s: session.sequence, t: event });
  }

  private send(session: Session, payload: unknown): void {
    session.socket.send(JSON.stringify(payload));
  }

  /** Sends a dispatch event to every identified session; returns how many received it. */
  dispatch(event: string, data: unknown): number {
    let count = 0;
    for (const session of this.sessions) {
      if (!session.identified) continue;
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
