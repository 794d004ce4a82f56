import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, readBody } from '../../servers/listen.js';
import { LocalSocketMode } from './socketMode.js';
import type { WorkspaceIds } from './state.js';
import { LocalWorkspace, ok } from './workspace.js';

/** What Slack serves at a file URL to a request without a valid bearer token: its login page. */
const LOGIN_PAGE =
  '<!DOCTYPE html><html lang="en"><head><title>Slack</title></head><body><h1>Sign in to Iris Test</h1></body></html>';

export interface LocalSlack {
  /** Base URL of the server. */
  url: string;
  /** What the app sets as SLACK_API_URL. */
  apiUrl: string;
  workspace: LocalWorkspace;
  socketMode: LocalSocketMode;
  /** Bodies posted to `response_url`s, in order. */
  responses: Array<{ id: string; body: Record<string, unknown> }>;
  /** Builds a `response_url` served here. */
  responseUrl(): string;
  close(): Promise<void>;
}

export interface LocalSlackOptions {
  botToken: string;
  appToken: string;
  ids?: Partial<WorkspaceIds>;
}

function parseArguments(body: Buffer, contentType: string): Record<string, unknown> {
  const text = body.toString('utf8');
  if (contentType.includes('application/json')) return JSON.parse(text || '{}') as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(text));
}

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  response.writeHead(status, headers);
  response.end(body);
}

/**
 * Starts a local Slack on 127.0.0.1 that the real Bolt App and Web API client talk to through
 * `slackApiUrl`: the Web API methods Iris calls, file downloads for `url_private` (the login page
 * without a valid bearer token or without files:read), upload URLs, `response_url`s, and Socket Mode.
 */
export async function startLocalSlack(options: LocalSlackOptions): Promise<LocalSlack> {
  const ids: WorkspaceIds = {
    teamId: 'T0LOCAL01',
    appId: 'A0LOCAL01',
    botUserId: 'U0IRISBOT',
    botId: 'B0IRISBOT',
    ...options.ids,
  };
  let baseUrl = '';
  const workspace = new LocalWorkspace(ids, { bot: options.botToken, app: options.appToken }, () => baseUrl);
  const responses: LocalSlack['responses'] = [];
  let responseCounter = 0;

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const bearer = request.headers.authorization?.replace(/^Bearer /, '');

    if (request.method === 'POST' && url.pathname.startsWith('/api/')) {
      const args = parseArguments(await readBody(request), request.headers['content-type'] ?? '');
      const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
      const answer = workspace.call(url.pathname.slice('/api/'.length), args, token);
      send(response, answer.status, JSON.stringify(answer.body), {
        'content-type': 'application/json; charset=utf-8',
        ...answer.headers,
      });
      return;
    }

    if (request.method === 'GET' && url.pathname.startsWith('/files-pri/')) {
      const fileId = url.pathname.split('/')[2]?.split('-')[1] ?? '';
      const file = workspace.files.get(fileId);
      if (bearer !== options.botToken || !workspace.scopes.has('files:read')) {
        send(response, 200, LOGIN_PAGE, { 'content-type': 'text/html; charset=utf-8' });
        return;
      }
      if (file === undefined) {
        send(response, 404, 'Not found', { 'content-type': 'text/plain' });
        return;
      }
      response.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.bytes.length) });
      response.end(file.bytes);
      return;
    }

    if (request.method === 'POST' && url.pathname.startsWith('/upload/')) {
      const body = await readBody(request);
      const form = await new Response(body, {
        headers: { 'content-type': request.headers['content-type'] ?? '' },
      }).formData();
      const part = [...form.values()].find((value) => typeof value !== 'string') as Blob | undefined;
      const bytes = part ? Buffer.from(await part.arrayBuffer()) : body;
      const png = bytes.subarray(1, 4).toString('latin1') === 'PNG';
      const stored = workspace.receiveUpload(
        url.pathname.split('/')[2] ?? '',
        bytes,
        png ? 'image/png' : 'application/octet-stream',
      );
      send(response, stored ? 200 : 404, stored ? `OK - ${bytes.length}` : 'Not found', {
        'content-type': 'text/plain',
      });
      return;
    }

    if (request.method === 'POST' && url.pathname.startsWith('/response/')) {
      const body = parseArguments(await readBody(request), request.headers['content-type'] ?? '');
      responses.push({ id: url.pathname.split('/')[2] ?? '', body });
      send(response, 200, 'ok', { 'content-type': 'text/plain' });
      return;
    }

    send(response, 404, 'Not found', { 'content-type': 'text/plain' });
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      send(response, 500, String(error), { 'content-type': 'text/plain' });
    });
  });
  const socketMode = new LocalSocketMode(server);
  workspace.define('apps.connections.open', () => ok({ url: socketMode.issueUrl(baseUrl) }));
  baseUrl = await listenOnLoopback(server);

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    workspace,
    socketMode,
    responses,
    responseUrl: () => `${baseUrl}/response/${++responseCounter}`,
    async close() {
      socketMode.close();
      await closeServer(server);
    },
  };
}
