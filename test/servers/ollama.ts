import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, readBody } from './listen.js';

/**
 * A local server speaking Ollama's HTTP API (the parts Iris uses): `GET /api/tags`, `POST /api/show`
 * and `POST /api/chat` streamed as NDJSON, with the error bodies Ollama sends. Tests steer each chat
 * answer through `scenario`.
 */

export interface LocalModel {
  name: string;
  vision: boolean;
}

export interface ChatScenario {
  /** The answer, sent as `tokens` if given, else split into words. */
  text?: string;
  tokens?: string[];
  /** Delay before the first token, in milliseconds. */
  firstTokenDelayMs?: number;
  /** Delay between tokens, in milliseconds. */
  tokenDelayMs?: number;
  /** Send this many tokens, then nothing more while keeping the connection open. */
  stallAfterTokens?: number;
  /** Send this many tokens, then end the response without a `done` message. */
  cutAfterTokens?: number;
  /** Send this many tokens, then an `{"error": ...}` line, as Ollama does when the runner fails. */
  errorAfterTokens?: number;
  errorMessage?: string;
  /** Split each token's UTF-8 bytes into two network writes, cutting multibyte characters. */
  splitBytes?: boolean;
  /** Answer with this HTTP status and `{"error": errorMessage}` instead of streaming. */
  status?: number;
}

export interface RecordedChat {
  model: string;
  messages: Array<{
    role: string;
    content: string;
    imageBytes: number[];
    imageMagic: string[];
    imagesAreDataUrls: boolean;
  }>;
  stream: boolean;
  receivedAt: number;
  /** When the first token was written, in ms since the epoch; undefined until then. */
  firstTokenAt?: number;
}

export interface LocalOllama {
  url: string;
  models: LocalModel[];
  /** The scenario for the next chats; tests may replace it at any time. */
  scenario: ChatScenario;
  chats: RecordedChat[];
  /** Chat streams currently open. */
  openStreams: number;
  close(): Promise<void>;
}

export const DEFAULT_ANSWER =
  'A wooden pier stretches into a calm lake. Mountains rise behind the water under a pale sky, and their reflection shimmers on the surface.';

function tokensOf(scenario: ChatScenario): string[] {
  if (scenario.tokens) return scenario.tokens;
  const text = scenario.text ?? DEFAULT_ANSWER;
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function findModel(models: LocalModel[], name: string): LocalModel | undefined {
  const wanted = name.includes(':') ? name : `${name}:latest`;
  return models.find((model) => (model.name.includes(':') ? model.name : `${model.name}:latest`) === wanted);
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function magicOf(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  if (bytes.subarray(1, 4).toString('latin1') === 'PNG') return 'png';
  return bytes.subarray(0, 4).toString('hex');
}

export async function startOllamaServer(
  options: { models?: LocalModel[]; scenario?: ChatScenario } = {},
): Promise<LocalOllama> {
  const state: Omit<LocalOllama, 'url' | 'close'> = {
    models: options.models ?? [
      { name: 'llava:latest', vision: true },
      { name: 'llama3:latest', vision: false },
    ],
    scenario: options.scenario ?? {},
    chats: [],
    openStreams: 0,
  };

  async function chat(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = JSON.parse((await readBody(request)).toString('utf8')) as {
      model: string;
      messages: Array<{ role: string; content: string; images?: string[] }>;
      stream?: boolean;
    };
    const recorded: RecordedChat = {
      model: body.model,
      stream: body.stream !== false,
      receivedAt: Date.now(),
      messages: body.messages.map((message) => {
        const images = (message.images ?? []).map((image) => Buffer.from(image, 'base64'));
        return {
          role: message.role,
          content: message.content,
          imageBytes: images.map((image) => image.length),
          imageMagic: images.map(magicOf),
          imagesAreDataUrls: (message.images ?? []).some((image) => image.startsWith('data:')),
        };
      }),
    };
    state.chats.push(recorded);

    const model = findModel(state.models, body.model);
    if (!model)
      return json(response, 404, { error: `model "${body.model}" not found, try pulling it first` });
    const hasImages = body.messages.some((message) => (message.images ?? []).length > 0);
    if (hasImages && !model.vision)
      return json(response, 500, { error: `${body.model} does not support images` });

    const scenario = state.scenario;
    if (scenario.status !== undefined)
      return json(response, scenario.status, { error: scenario.errorMessage ?? 'internal error' });

    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    state.openStreams++;
    response.once('close', () => state.openStreams--);
    const line = (value: unknown) => `${JSON.stringify(value)}\n`;
    const part = (content: string, done: boolean, extra: Record<string, unknown> = {}) =>
      line({
        model: body.model,
        created_at: new Date().toISOString(),
        message: { role: 'assistant', content },
        done,
        ...extra,
      });

    await wait(scenario.firstTokenDelayMs ?? 0);
    const tokens = tokensOf(scenario);
    for (const [index, token] of tokens.entries()) {
      if (response.destroyed) return;
      if (index === scenario.stallAfterTokens) return; // Keep the socket open and silent.
      if (index === scenario.cutAfterTokens) return void response.end();
      if (index === scenario.errorAfterTokens)
        return void response.end(
          line({ error: scenario.errorMessage ?? 'llama runner process has terminated' }),
        );

      const bytes = Buffer.from(part(token, false), 'utf8');
      recorded.firstTokenAt ??= Date.now();
      if (scenario.splitBytes) {
        // Cut inside the token text so a multibyte character straddles two writes.
        const cut = bytes.indexOf(Buffer.from(token, 'utf8')) + 1;
        response.write(bytes.subarray(0, cut));
        await wait(5);
        response.write(bytes.subarray(cut));
      } else {
        response.write(bytes);
      }
      if (index < tokens.length - 1) await wait(scenario.tokenDelayMs ?? 2);
    }
    if (tokens.length === scenario.stallAfterTokens) return;
    if (tokens.length === scenario.cutAfterTokens) return void response.end();
    response.end(
      part('', true, { done_reason: 'stop', eval_count: tokens.length, total_duration: 1_000_000 }),
    );
  }

  async function show(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = JSON.parse((await readBody(request)).toString('utf8')) as { model?: string; name?: string };
    const name = body.model ?? body.name ?? '';
    const model = findModel(state.models, name);
    if (!model) return json(response, 404, { error: `model '${name}' not found` });
    json(response, 200, {
      modelfile: '',
      parameters: '',
      template: '',
      details: { format: 'gguf', family: 'llama', parameter_size: '7B', quantization_level: 'Q4_0' },
      model_info: model.vision
        ? { 'general.architecture': 'llama', 'clip.has_vision_encoder': true }
        : { 'general.architecture': 'llama' },
      capabilities: model.vision ? ['completion', 'vision'] : ['completion'],
    });
  }

  const server = createServer((request, response) => {
    const route = `${request.method} ${request.url?.split('?')[0]}`;
    const handle = async () => {
      if (route === 'POST /api/chat') return chat(request, response);
      if (route === 'POST /api/show') return show(request, response);
      if (route === 'GET /api/tags') {
        return json(response, 200, {
          models: state.models.map((model) => ({ name: model.name, model: model.name, size: 4_000_000_000 })),
        });
      }
      if (route === 'GET /' || route === 'HEAD /') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        return void response.end('Ollama is running');
      }
      json(response, 404, { error: 'not found' });
    };
    handle().catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { error: String(error) });
      else response.destroy();
    });
  });

  const url = await listenOnLoopback(server);
  return Object.assign(state, { url, close: () => closeServer(server) });
}
