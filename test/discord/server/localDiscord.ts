import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIMessage } from 'discord-api-types/v10';
import { closeServer, listenOnLoopback, readBody } from '../../servers/listen.js';
import { appRoutes } from './appRoutes.js';
import { channelRoutes } from './channelRoutes.js';
import { Faults } from './faults.js';
import { Gateway } from './gateway.js';
import { DiscordHttpError } from './httpError.js';
import { interactionRoutes } from './interactionRoutes.js';
import { parseBody } from './parseBody.js';
import type { Route, ServerSettings } from './routeTypes.js';
import { DiscordState } from './state.js';

/** One REST call the bot made, as the server recorded it. */
export interface RecordedCall {
  method: string;
  /** Path after the API version, e.g. `/channels/1/messages`. */
  path: string;
  query: string;
  body: Record<string, unknown>;
  files: Array<{ filename: string; contentType: string; bytes: number }>;
  status: number;
  /** Discord error code returned, when the call failed. */
  code?: number;
  at: number;
}

export interface LocalDiscord {
  /** REST base for discord.js's `rest.api` option (without the version). */
  apiUrl: string;
  /** Base URL of the local CDN; its host goes into DISCORD_CDN_HOSTS. */
  cdnUrl: string;
  token: string;
  state: DiscordState;
  gateway: Gateway;
  faults: Faults;
  settings: ServerSettings;
  calls: RecordedCall[];
  /** Calls the server has seen, waited for: resolves with the first one `match` accepts. */
  waitForCall(match: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Stores a file on the local CDN and returns its URL, as Discord does for an upload. */
  addFile(filename: string, contentType: string, data: Buffer): { id: string; url: string };
  channelMessages(channelId: string): APIMessage[];
  close(): Promise<void>;
}

const routes: Route[] = [...appRoutes, ...interactionRoutes, ...channelRoutes];
const API_PREFIX = /^\/api\/v10(?=\/)/;

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (body === undefined) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/**
 * Starts a local Discord on 127.0.0.1: the REST routes Iris calls, a CDN for attachments and a
 * WebSocket gateway, so the real discord.js client can connect to it unmodified.
 */
export async function startLocalDiscord(options: { token?: string } = {}): Promise<LocalDiscord> {
  const token = options.token ?? 'local-discord-bot-token-0000';
  const state = new DiscordState();
  const faults = new Faults();
  const calls: RecordedCall[] = [];
  const waiters = new Set<() => void>();
  const settings: ServerSettings = {
    uploadLimitBytes: 10 * 1024 * 1024,
    cdnBase: '',
    tokenTtlMs: 15 * 60_000,
    acknowledgeWindowMs: 3_000,
    gatewayUrl: '',
    shardCount: 1,
    members: new Map(),
  };
  const gateway = new Gateway(state, token, () => settings.gatewayUrl);

  function record(call: RecordedCall): void {
    calls.push(call);
    for (const wake of waiters) wake();
  }

  function serveFile(path: string, response: ServerResponse): void {
    const id = path.split('/')[3] ?? '';
    const file = state.files.get(id);
    if (!file) {
      send(response, 404, { message: 'Not found' });
      return;
    }
    response.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.data.length) });
    response.end(file.data);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/attachments/')) return serveFile(url.pathname, response);

    const method = request.method ?? 'GET';
    const path = url.pathname.replace(API_PREFIX, '');
    const raw = await readBody(request);
    const { body, files } = await parseBody(request, raw);
    const call: RecordedCall = {
      method,
      path,
      query: url.search,
      body,
      files: files.map((file) => ({
        filename: file.filename,
        contentType: file.contentType,
        bytes: file.data.length,
      })),
      status: 0,
      at: Date.now(),
    };

    const fail = (error: DiscordHttpError, headers: Record<string, string> = {}) => {
      call.status = error.status;
      call.code = error.code;
      record(call);
      send(response, error.status, error.body, headers);
    };

    const limited = faults.checkRateLimit(method, path);
    if (limited) {
      call.status = 429;
      record(call);
      const seconds = limited.retryAfterSeconds.toFixed(3);
      return send(
        response,
        429,
        { message: 'You are being rate limited.', retry_after: Number(seconds), global: false },
        {
          'retry-after': seconds,
          'x-ratelimit-limit': '1',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': seconds,
          'x-ratelimit-bucket': limited.bucket.replace(/\W+/g, '-'),
          'x-ratelimit-scope': 'user',
        },
      );
    }
    const injected = faults.takeFault(method, path);
    if (injected) return fail(injected);

    for (const route of routes) {
      const match = route.method === method ? route.pattern.exec(path) : null;
      if (!match) continue;
      if (route.botAuth && request.headers.authorization !== `Bot ${token}`) {
        return fail(new DiscordHttpError(401, 0, '401: Unauthorized'));
      }
      try {
        const result = route.handle(
          { params: { ...match.groups }, query: url.searchParams, body, files },
          {
            state,
            settings,
          },
        );
        call.status = result.status;
        record(call);
        // Discord tells the bot about a thread it started, so discord.js caches it.
        if (method === 'POST' && path.endsWith('/threads')) {
          gateway.dispatch('THREAD_CREATE', { ...(result.body as object), newly_created: true });
        }
        return send(response, result.status, result.body);
      } catch (error) {
        if (error instanceof DiscordHttpError) return fail(error);
        throw error;
      }
    }
    fail(new DiscordHttpError(404, 0, `404: Not Found (${method} ${path})`));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { message: String(error), code: 0 });
      else response.destroy();
    });
  });
  server.on('upgrade', (request, socket, head) => gateway.handleUpgrade(request, socket, head));

  const base = await listenOnLoopback(server);
  settings.cdnBase = base;
  settings.gatewayUrl = base.replace(/^http/, 'ws');

  return {
    apiUrl: `${base}/api`,
    cdnUrl: base,
    token,
    state,
    gateway,
    faults,
    settings,
    calls,
    channelMessages: (channelId) => state.channelMessages(channelId),
    addFile(filename, contentType, data) {
      const id = String(state.files.size + 1) + Date.now();
      state.files.set(id, { data, contentType, filename });
      return { id, url: `${base}/attachments/0/${id}/${filename}` };
    },
    waitForCall(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = calls.find(match);
          if (!found) return false;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const wake = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`No matching Discord call within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(wake);
        check();
      });
    },
    async close() {
      await gateway.close();
      await closeServer(server);
    },
  };
}
