import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OllamaVision,
  type VisionEvent,
  type VisionMessage,
} from '../../src/backends/ollama/OllamaVision.js';
import { IrisError } from '../../src/errors/IrisError.js';
import { normalizeImage } from '../../src/image/normalizeImage.js';
import { fixture } from '../helpers/paths.js';
import { DEFAULT_ANSWER, type LocalOllama, startOllamaServer } from '../servers/ollama.js';

let ollama: LocalOllama;
let image: Buffer;

beforeAll(async () => {
  ollama = await startOllamaServer();
  image = (
    await normalizeImage(await readFile(fixture('waterview.jpg')), {
      maxBytes: 1e8,
      maxPixels: 4e7,
      maxSide: 1344,
    })
  ).data;
});
afterAll(() => ollama.close());

function vision(overrides: Partial<ConstructorParameters<typeof OllamaVision>[0]> = {}): OllamaVision {
  return new OllamaVision({
    host: ollama.url,
    model: 'llava',
    timeoutMs: 10_000,
    stallMs: 2_000,
    ...overrides,
  });
}

async function collect(
  stream: AsyncIterable<VisionEvent>,
): Promise<{ deltas: string[]; end: Extract<VisionEvent, { type: 'end' }> }> {
  const deltas: string[] = [];
  for await (const event of stream) {
    if (event.type === 'text') deltas.push(event.delta);
    else return { deltas, end: event };
  }
  throw new Error('stream ended without an end event');
}

async function failure(stream: AsyncIterable<VisionEvent>): Promise<IrisError> {
  const error = await collect(stream).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IrisError);
  return error as IrisError;
}

const question: VisionMessage = { role: 'user', content: 'Describe this image.' };
const ask = [question];

describe('OllamaVision against the local Ollama', () => {
  it('streams tokens and ends with done', async () => {
    ollama.scenario = {};
    const { deltas, end } = await collect(vision().stream([{ ...question, images: [image] }]));
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe(DEFAULT_ANSWER);
    expect(end).toMatchObject({ stop: 'done', text: DEFAULT_ANSWER });
    expect(end.firstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('sends the image as base64 bytes, never a data URL', async () => {
    ollama.scenario = {};
    await collect(vision().stream([{ ...question, images: [image] }]));
    const sent = ollama.chats.at(-1)?.messages[0];
    expect(sent?.imagesAreDataUrls).toBe(false);
    expect(sent?.imageMagic).toEqual(['jpeg']);
    expect(sent?.imageBytes).toEqual([image.length]);
  });

  it('joins a multibyte character split across two chunks', async () => {
    ollama.scenario = { tokens: ['Café ', '☕ ', '日本語 ', '👩‍💻'], splitBytes: true };
    const { end } = await collect(vision().stream(ask));
    expect(end.text).toBe('Café ☕ 日本語 👩‍💻');
    expect(end.text).not.toContain('\uFFFD');
  });

  it('keeps the partial text when the stream stalls', async () => {
    ollama.scenario = { stallAfterTokens: 3 };
    const { deltas, end } = await collect(vision({ stallMs: 300 }).stream(ask));
    expect(deltas).toHaveLength(3);
    expect(end.stop).toBe('stalled');
    expect(end.text).toBe(deltas.join(''));
    expect(end.error?.code).toBe('VISION_STALLED');
    expect(end.error?.userMessage).toMatch(/cut off/);
  });

  it('closes the stalled connection', async () => {
    ollama.scenario = { stallAfterTokens: 2 };
    await collect(vision({ stallMs: 200 }).stream(ask));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ollama.openStreams).toBe(0);
  });

  it('reports a stream cut off without done', async () => {
    ollama.scenario = { cutAfterTokens: 4 };
    const { end } = await collect(vision().stream(ask));
    expect(end.stop).toBe('incomplete');
    expect(end.text.length).toBeGreaterThan(0);
    expect(end.error?.code).toBe('VISION_STREAM_INCOMPLETE');
  });

  it('reports an error line mid-stream, keeping the text', async () => {
    ollama.scenario = {
      errorAfterTokens: 4,
      errorMessage: 'llama runner process has terminated: signal: killed',
    };
    const { end } = await collect(vision().stream(ask));
    expect(end.stop).toBe('failed');
    expect(end.text.length).toBeGreaterThan(0);
    expect(end.error?.code).toBe('VISION_FAILED');
    expect(end.error?.message).toContain('llama runner process has terminated');
  });

  it('cuts the answer at the overall timeout', async () => {
    ollama.scenario = { tokenDelayMs: 100 };
    const { end } = await collect(vision({ timeoutMs: 350 }).stream(ask));
    expect(end.stop).toBe('timeout');
    expect(end.error?.code).toBe('VISION_TIMEOUT');
  });

  it('waits for the first token up to the overall timeout', async () => {
    ollama.scenario = { firstTokenDelayMs: 400 };
    const { end } = await collect(vision({ stallMs: 100, timeoutMs: 5_000 }).stream(ask));
    expect(end.stop).toBe('done');
  });

  it('throws a timeout when no token ever arrives', async () => {
    ollama.scenario = { stallAfterTokens: 0 };
    const error = await failure(vision({ stallMs: 100, timeoutMs: 300 }).stream(ask));
    expect(error.code).toBe('VISION_TIMEOUT');
  });

  it('names ollama pull when the model is missing', async () => {
    ollama.scenario = {};
    const error = await failure(vision({ model: 'llava:34b' }).stream(ask));
    expect(error.code).toBe('VISION_MODEL_NOT_PULLED');
    expect(error.adminHint).toContain('ollama pull llava:34b');
    expect(error.userMessage).toMatch(/misconfigured/);
  });

  it('reports a model without vision', async () => {
    const error = await failure(vision({ model: 'llama3' }).stream([{ ...question, images: [image] }]));
    expect(error.code).toBe('VISION_MODEL_NO_VISION');
  });

  it('names the host when Ollama is unreachable', async () => {
    const closed = await startOllamaServer();
    await closed.close();
    const error = await failure(vision({ host: closed.url }).stream(ask));
    expect(error.code).toBe('VISION_UNREACHABLE');
    expect(error.message).toContain(closed.url);
    expect(error.userMessage).toMatch(/unreachable/);
  });

  it('stops when the caller aborts', async () => {
    ollama.scenario = { tokenDelayMs: 50 };
    const controller = new AbortController();
    const deltas: string[] = [];
    let end: VisionEvent | undefined;
    for await (const event of vision().stream(ask, controller.signal)) {
      if (event.type === 'text') {
        deltas.push(event.delta);
        if (deltas.length === 2) controller.abort();
      } else end = event;
    }
    expect(end).toMatchObject({ type: 'end', stop: 'cancelled' });
  });

  it('checks the model: pulled, with vision', async () => {
    expect((await vision().check()).ok).toBe(true);
    const textOnly = await vision({ model: 'llama3' }).check();
    expect(textOnly.error?.code).toBe('VISION_MODEL_NO_VISION');
    const missing = await vision({ model: 'bakllava' }).check();
    expect(missing.error?.code).toBe('VISION_MODEL_NOT_PULLED');
  });
});
