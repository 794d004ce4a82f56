import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HuggingFaceImages,
  type TextToImageRequest,
  type WaitNotice,
} from '../../src/backends/huggingface/HuggingFaceImages.js';
import { modelNotServed } from '../../src/backends/huggingface/imageErrors.js';
import { IrisError } from '../../src/errors/IrisError.js';
import { type LocalHuggingFace, startHuggingFaceServer } from '../servers/huggingface.js';

let hf: LocalHuggingFace;
beforeAll(async () => {
  hf = await startHuggingFaceServer();
});
afterAll(() => hf.close());

function backend(
  overrides: Partial<ConstructorParameters<typeof HuggingFaceImages>[0]> = {},
): HuggingFaceImages {
  return new HuggingFaceImages({
    token: hf.token,
    model: 'prompthero/openjourney',
    provider: 'hf-inference',
    endpointUrl: hf.endpointUrl,
    hubUrl: hf.url,
    timeoutMs: 5_000,
    maxWaitMs: 10_000,
    ...overrides,
  });
}

const request: TextToImageRequest = {
  prompt: 'a lighthouse at dusk, mdjrny-v4 style',
  width: 512,
  height: 768,
  steps: 20,
  guidance: 7,
  seed: 42,
};

async function failure(promise: Promise<unknown>): Promise<IrisError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IrisError);
  return error as IrisError;
}

describe('HuggingFaceImages against the local endpoint', () => {
  it('returns a PNG and sends the parameters', async () => {
    const before = hf.generations.length;
    const png = await backend().generate({ ...request, negativePrompt: 'blurry' });
    const metadata = await sharp(png).metadata();
    expect(metadata.format).toBe('png');
    expect([metadata.width, metadata.height]).toEqual([512, 768]);
    const sent = hf.generations[before];
    expect(sent?.inputs).toBe(request.prompt);
    expect(sent?.parameters).toMatchObject({
      negative_prompt: 'blurry',
      width: 512,
      height: 768,
      num_inference_steps: 20,
      guidance_scale: 7,
      seed: 42,
    });
  });

  it('converts a JPEG answer to PNG', async () => {
    hf.queue.push({ kind: 'jpeg' });
    expect((await sharp(await backend().generate(request)).metadata()).format).toBe('png');
  });

  it('reports an all-black image as filtered', async () => {
    hf.queue.push({ kind: 'black' });
    const error = await failure(backend().generate(request));
    expect(error.code).toBe('IMAGINE_FILTERED');
    expect(error.userMessage).toMatch(/safety filter/);
  });

  it('waits out a loading model twice, reporting each wait', async () => {
    hf.queue.push({ kind: 'loading', estimatedTime: 1.2 }, { kind: 'loading', estimatedTime: 1.0 });
    const waits: WaitNotice[] = [];
    const png = await backend().generate(request, { onWait: (notice) => waits.push(notice) });
    expect(png.length).toBeGreaterThan(0);
    expect(waits).toEqual([
      { reason: 'loading', waitMs: 1200 },
      { reason: 'loading', waitMs: 1000 },
    ]);
  });

  it('gives up on loading past the wait budget', async () => {
    hf.queue.push(
      { kind: 'loading', estimatedTime: 1 },
      { kind: 'loading', estimatedTime: 1 },
      { kind: 'loading', estimatedTime: 1 },
    );
    const error = await failure(backend({ maxWaitMs: 1500 }).generate(request));
    expect(error.code).toBe('IMAGINE_MODEL_LOADING');
    hf.queue.length = 0;
  });

  it('honours Retry-After on 429, then succeeds', async () => {
    hf.queue.push({
      kind: 'error',
      status: 429,
      error: 'Rate limit reached',
      headers: { 'retry-after': '1' },
    });
    const waits: WaitNotice[] = [];
    await backend().generate(request, { onWait: (notice) => waits.push(notice) });
    expect(waits).toEqual([{ reason: 'rate-limited', waitMs: 1000 }]);
  });

  it('reports 429 when Retry-After exceeds the budget', async () => {
    hf.queue.push({
      kind: 'error',
      status: 429,
      error: 'Rate limit reached',
      headers: { 'retry-after': '120' },
    });
    const error = await failure(backend().generate(request));
    expect(error.code).toBe('IMAGINE_RATE_LIMITED');
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.userMessage).toMatch(/about 120 s/);
  });

  it.each([
    [401, 'IMAGINE_UNAUTHORIZED'],
    [403, 'IMAGINE_UNAUTHORIZED'],
    [404, 'IMAGINE_MODEL_NOT_SERVED'],
    [410, 'IMAGINE_MODEL_NOT_SERVED'],
  ])('does not retry HTTP %i', async (status, code) => {
    hf.queue.push({ kind: 'error', status });
    const before = hf.generations.length;
    const error = await failure(backend().generate(request));
    expect(error.code).toBe(code);
    expect(hf.generations.length - before).toBe(1);
  });

  it('explains HF_ENDPOINT_URL when the provider does not serve the model', () => {
    const error = modelNotServed({ model: 'prompthero/openjourney', target: 'hf-inference' }, 410);
    expect(error.adminHint).toContain('HF_ENDPOINT_URL');
    expect(error.adminHint).toContain('Provider "hf-inference" does not serve prompthero/openjourney');
  });

  it('rejects a wrong token with 401, never echoing it', async () => {
    const wrong = 'hf_wrongtoken1234567890';
    const error = await failure(backend({ token: wrong }).generate(request));
    expect(error.code).toBe('IMAGINE_UNAUTHORIZED');
    expect(
      JSON.stringify({
        message: error.message,
        user: error.userMessage,
        hint: error.adminHint,
        details: error.details,
      }),
    ).not.toContain(wrong);
  });

  it('times out a request that never answers', async () => {
    hf.queue.push({ kind: 'hang' });
    const error = await failure(backend({ timeoutMs: 300 }).generate(request));
    expect(error.code).toBe('IMAGINE_TIMEOUT');
  });

  it('reports an unreachable endpoint', async () => {
    const closed = await startHuggingFaceServer();
    await closed.close();
    const error = await failure(backend({ endpointUrl: closed.endpointUrl }).generate(request));
    expect(error.code).toBe('IMAGINE_UNREACHABLE');
  });

  it('refuses to run without a token or endpoint', async () => {
    const error = await failure(backend({ token: undefined, endpointUrl: undefined }).generate(request));
    expect(error.code).toBe('IMAGINE_NOT_CONFIGURED');
  });

  it('checks an endpoint and a provider', async () => {
    expect((await backend().check()).ok).toBe(true);
    expect((await backend({ token: 'hf_bad000000' }).check()).error?.code).toBe('IMAGINE_UNAUTHORIZED');
    expect((await backend({ endpointUrl: undefined }).check()).ok).toBe(true);
    const notServed = await backend({ endpointUrl: undefined, provider: 'fal-ai' }).check();
    expect(notServed.error?.code).toBe('IMAGINE_MODEL_NOT_SERVED');
    expect(notServed.detail).toBe('served by: hf-inference');
  });
});
