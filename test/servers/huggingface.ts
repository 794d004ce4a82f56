import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import sharp from 'sharp';
import { closeServer, listenOnLoopback, readBody } from './listen.js';

/**
 * A local server speaking the Hugging Face text-to-image protocol as an Inference Endpoint does
 * (`POST` JSON `{ inputs, parameters }`, image bytes back), plus the two Hub API routes the doctor
 * reads. Tests queue the answers of the next requests; with nothing queued it renders a PNG.
 */

export type QueuedAnswer =
  | { kind: 'image' }
  | { kind: 'black' }
  | { kind: 'jpeg' }
  /** A PNG of random pixels: it barely compresses, so it is large, as detailed model output is. */
  | { kind: 'noise' }
  | { kind: 'loading'; estimatedTime: number }
  | { kind: 'error'; status: number; error?: string; headers?: Record<string, string> }
  | { kind: 'hang' };

export interface RecordedGeneration {
  path: string;
  authorization: string | undefined;
  inputs: string;
  parameters: Record<string, unknown>;
  /** When the request arrived, in ms since the epoch. */
  receivedAt: number;
}

export interface LocalHuggingFace {
  /** Base URL; the endpoint is `${url}/endpoint`, the Hub API is `${url}`. */
  url: string;
  endpointUrl: string;
  /** The token the server accepts; requests with another are answered 401. */
  token: string;
  /** Answers for the next generation requests, first in first out. */
  queue: QueuedAnswer[];
  generations: RecordedGeneration[];
  /** Providers listed for the model by the Hub API route. */
  providers: string[];
  /** Wait before answering each generation request, in milliseconds, as a model's rendering time. */
  delayMs: number;
  close(): Promise<void>;
}

function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Renders a small distinct image per seed, so tests can tell results apart. */
async function renderImage(
  width: number,
  height: number,
  seed: number,
  format: 'png' | 'jpeg',
): Promise<Buffer> {
  const red = ((seed * 97) % 200) + 40;
  const green = ((seed * 57) % 200) + 40;
  const image = sharp({ create: { width, height, channels: 3, background: { r: red, g: green, b: 128 } } });
  return format === 'png' ? image.png().toBuffer() : image.jpeg().toBuffer();
}

export async function startHuggingFaceServer(
  options: { token?: string; delayMs?: number } = {},
): Promise<LocalHuggingFace> {
  const state = {
    token: options.token ?? 'hf_localtesttoken000000000000',
    delayMs: options.delayMs ?? 0,
    queue: [] as QueuedAnswer[],
    generations: [] as RecordedGeneration[],
    providers: ['hf-inference'],
  };

  const authorized = (request: IncomingMessage) => request.headers.authorization === `Bearer ${state.token}`;

  async function generate(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = JSON.parse((await readBody(request)).toString('utf8')) as {
      inputs: string;
      parameters?: Record<string, unknown>;
    };
    const parameters = body.parameters ?? {};
    state.generations.push({
      path: request.url ?? '',
      authorization: request.headers.authorization === undefined ? undefined : '[present]',
      inputs: body.inputs,
      parameters,
      receivedAt: Date.now(),
    });
    if (!authorized(request))
      return json(response, 401, { error: 'Invalid credentials in Authorization header' });
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));

    const answer = state.queue.shift() ?? { kind: 'image' };
    const width = Number(parameters.width ?? 512);
    const height = Number(parameters.height ?? 512);
    const seed = Number(parameters.seed ?? 0);
    switch (answer.kind) {
      case 'hang':
        return; // Never answer; the client's timeout must fire.
      case 'loading':
        return json(response, 503, {
          error: 'Model prompthero/openjourney is currently loading',
          estimated_time: answer.estimatedTime,
        });
      case 'error':
        return json(
          response,
          answer.status,
          { error: answer.error ?? `error ${answer.status}` },
          answer.headers,
        );
      case 'black': {
        const black = await sharp({
          create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 } },
        })
          .png()
          .toBuffer();
        response.writeHead(200, { 'content-type': 'image/png' });
        return void response.end(black);
      }
      case 'noise': {
        const pixels = randomBytes(width * height * 3);
        const png = await sharp(pixels, { raw: { width, height, channels: 3 } })
          .png()
          .toBuffer();
        response.writeHead(200, { 'content-type': 'image/png' });
        return void response.end(png);
      }
      case 'jpeg':
      case 'image': {
        const format = answer.kind === 'jpeg' ? 'jpeg' : 'png';
        response.writeHead(200, { 'content-type': `image/${format}` });
        return void response.end(await renderImage(width, height, seed, format));
      }
    }
  }

  const server = createServer((request, response) => {
    const path = request.url?.split('?')[0] ?? '';
    const handle = async () => {
      if (request.method === 'POST' && path.startsWith('/endpoint')) return generate(request, response);
      if (request.method === 'GET' && path === '/endpoint') {
        if (!authorized(request))
          return json(response, 401, { error: 'Invalid credentials in Authorization header' });
        return json(response, 200, { status: 'running' });
      }
      if (request.method === 'GET' && path === '/api/whoami-v2') {
        if (!authorized(request))
          return json(response, 401, { error: 'Invalid credentials in Authorization header' });
        return json(response, 200, { type: 'user', name: 'iris-test' });
      }
      const model = /^\/api\/models\/(.+)$/.exec(path)?.[1];
      if (request.method === 'GET' && model) {
        if (model !== 'prompthero/openjourney') return json(response, 404, { error: 'Repository not found' });
        const mapping = Object.fromEntries(
          state.providers.map((provider) => [
            provider,
            { status: 'live', providerId: model, task: 'text-to-image' },
          ]),
        );
        return json(response, 200, {
          id: model,
          pipeline_tag: 'text-to-image',
          inferenceProviderMapping: mapping,
        });
      }
      json(response, 404, { error: 'not found' });
    };
    handle().catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { error: String(error) });
      else response.destroy();
    });
  });

  const url = await listenOnLoopback(server);
  return Object.assign(state, { url, endpointUrl: `${url}/endpoint`, close: () => closeServer(server) });
}
