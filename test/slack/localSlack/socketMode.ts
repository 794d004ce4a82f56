import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

/** The envelope types Socket Mode delivers. */
export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface EnvelopeResult {
  envelopeId: string;
  acked: boolean;
  /** Milliseconds from sending the envelope to receiving its ack. */
  ackMs?: number;
  /** The ack's payload, such as an ephemeral reply to a slash command. */
  ackPayload?: Record<string, unknown>;
}

/** How long Slack waits for an ack before it treats the envelope as failed, in milliseconds. */
export const ACK_DEADLINE_MS = 3_000;
// Slack pings every few seconds; the client drops a connection without pings after 30 s.
const PING_INTERVAL_MS = 5_000;

/**
 * The Socket Mode side of the local Slack: the WebSocket URL that apps.connections.open hands out,
 * the `hello` handshake, envelopes sent to the app, and the acks it returns (checked against the
 * envelope id and Slack's 3-second deadline).
 */
export class LocalSocketMode {
  private readonly sockets = new WebSocketServer({ noServer: true });
  private readonly pending = new Map<string, (payload: Record<string, unknown>) => void>();
  private readonly tickets = new Set<string>();
  private readonly connectionWaiters: Array<() => void> = [];
  private current: WebSocket | undefined;
  /** Every ack received, in order, including acks for unknown envelope ids. */
  readonly acks: Array<{ envelope_id: string; payload?: Record<string, unknown> }> = [];

  constructor(server: Server) {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
  }

  /** A one-time WebSocket URL, as apps.connections.open returns it. */
  issueUrl(baseUrl: string): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${baseUrl.replace(/^http/, 'ws')}/link/?ticket=${ticket}`;
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    this.sockets.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    this.current = ws;
    const ping = setInterval(() => ws.ping(), PING_INTERVAL_MS);
    ping.unref();
    ws.on('close', () => {
      clearInterval(ping);
      if (this.current === ws) this.current = undefined;
    });
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as {
        envelope_id: string;
        payload?: Record<string, unknown>;
      };
      this.acks.push(message);
      this.pending.get(message.envelope_id)?.(message.payload ?? {});
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A_LOCAL' } }));
    for (const resolve of this.connectionWaiters.splice(0)) resolve();
  }

  get connected(): boolean {
    return this.current !== undefined;
  }

  async waitForConnection(): Promise<void> {
    if (this.current) return;
    await new Promise<void>((resolve) => this.connectionWaiters.push(resolve));
  }

  /** Sends one envelope and waits for its ack, up to Slack's deadline. */
  async send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options: { retryAttempt?: number; retryReason?: string } = {},
  ): Promise<EnvelopeResult> {
    const ws = this.current;
    if (ws === undefined) throw new Error('No Socket Mode connection is open.');
    const envelopeId = randomUUID();
    const sentAt = performance.now();

    const acked = new Promise<EnvelopeResult>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        resolve({ envelopeId, acked: false });
      }, ACK_DEADLINE_MS);
      this.pending.set(envelopeId, (ackPayload) => {
        clearTimeout(timer);
        this.pending.delete(envelopeId);
        resolve({ envelopeId, acked: true, ackMs: performance.now() - sentAt, ackPayload });
      });
    });
    ws.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api'
          ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? '' }
          : {}),
      }),
    );
    return acked;
  }

  close(): void {
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
  }
}
