import { Ollama } from 'ollama';
import { IrisError } from '../../errors/IrisError.js';
import type { ModelMetrics } from '../../metrics/IrisMetrics.js';
import {
  mapOllamaError,
  modelNotPulled,
  modelWithoutVision,
  type VisionErrorContext,
} from './visionErrors.js';

export interface VisionMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** Encoded image bytes; the client sends them as base64 in the JSON body, as Ollama's API expects. */
  images?: Uint8Array[];
}

export type StopReason = 'done' | 'stalled' | 'timeout' | 'incomplete' | 'failed' | 'cancelled';

export type VisionEvent =
  | { type: 'text'; delta: string }
  | {
      type: 'end';
      text: string;
      stop: StopReason;
      /** Why the answer is partial; absent when the model finished. */
      error?: IrisError;
      /** Tokens generated, as Ollama counts them; absent when the stream was cut. */
      tokens?: number;
      /** Milliseconds from the request to the first token, or undefined when none came. */
      firstTokenMs?: number;
    };

export interface OllamaVisionOptions {
  host: string;
  model: string;
  /** Whole-answer limit, in milliseconds. */
  timeoutMs: number;
  /** Longest silence between two tokens, after the first, before the answer is cut, in milliseconds. */
  stallMs: number;
  /** Receives each stream's latency, tokens and outcome; nothing is recorded without it. */
  metrics?: ModelMetrics;
}

export interface VisionCheck {
  ok: boolean;
  error?: IrisError;
  /** The model's reported capabilities, when Ollama lists them. */
  capabilities?: string[];
}

/**
 * Streams answers from a vision model served by Ollama, through the official client.
 *
 * Each request gets its own client so that aborting one stream never touches another; the client's
 * fetch is wrapped only to link the request's AbortSignal, so a stall, a timeout or the caller can
 * cut the request even while Ollama is still loading the model and has not sent headers.
 */
export class OllamaVision {
  readonly context: VisionErrorContext;

  constructor(readonly options: OllamaVisionOptions) {
    this.context = { host: options.host, model: options.model };
  }

  private client(signal?: AbortSignal): Ollama {
    if (signal === undefined) return new Ollama({ host: this.options.host });
    return new Ollama({
      host: this.options.host,
      fetch: (input, init) =>
        fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
    });
  }

  /**
   * Streams the model's response. Throws an IrisError when no token arrived (unreachable, model missing).
   * Once text has arrived, a failure ends the stream with an `end` event that keeps the partial text.
   */
  async *stream(messages: VisionMessage[], signal?: AbortSignal): AsyncGenerator<VisionEvent> {
    const controller = new AbortController();
    let reason: StopReason | undefined;
    const abortWith = (why: StopReason) => {
      if (reason === undefined) reason = why;
      controller.abort();
    };

    const onCallerAbort = () => abortWith('cancelled');
    if (signal?.aborted) abortWith('cancelled');
    signal?.addEventListener('abort', onCallerAbort, { once: true });

    const overall = setTimeout(() => abortWith('timeout'), this.options.timeoutMs);
    overall.unref();
    // Armed at the first token: before it, Ollama may still be loading the model or encoding the image,
    // which can take longer than a stall on a CPU host, so only the overall timeout applies there.
    let stall: NodeJS.Timeout | undefined;

    const started = performance.now();
    let firstTokenMs: number | undefined;
    let text = '';
    // Stays undefined when the caller stops iterating early, which counts as cancelled.
    let outcome: StopReason | undefined;
    let outputTokens: number | undefined;
    let promptTokens: number | undefined;
    try {
      const response = await this.client(controller.signal).chat({
        model: this.options.model,
        messages,
        stream: true,
      });
      for await (const part of response) {
        if (stall === undefined) {
          stall = setTimeout(() => abortWith('stalled'), this.options.stallMs);
          stall.unref();
        } else {
          stall.refresh();
        }
        const delta = part.message?.content ?? '';
        if (delta !== '') {
          firstTokenMs ??= performance.now() - started;
          text += delta;
          yield { type: 'text', delta };
        }
        if (part.done) {
          outcome = 'done';
          outputTokens = part.eval_count;
          promptTokens = part.prompt_eval_count;
          yield { type: 'end', text, stop: 'done', tokens: part.eval_count, firstTokenMs };
          return;
        }
      }
      // The client throws when the stream ends without `done`; reaching here means it changed that.
      throw new Error('Did not receive done or success response in stream.');
    } catch (error) {
      const stop: StopReason =
        reason ?? (/did not receive done/i.test(String(error)) ? 'incomplete' : 'failed');
      outcome = stop;
      const failure =
        stop === 'failed' || stop === 'incomplete'
          ? mapOllamaError(error, this.context)
          : this.abortError(stop);
      if (text === '' && stop !== 'cancelled') throw failure;
      yield { type: 'end', text, stop, error: failure, firstTokenMs };
    } finally {
      clearTimeout(overall);
      clearTimeout(stall);
      signal?.removeEventListener('abort', onCallerAbort);
      controller.abort();
      this.options.metrics?.modelStream({
        backend: 'ollama',
        model: this.options.model,
        outcome: outcome ?? 'cancelled',
        firstTokenMs,
        totalMs: performance.now() - started,
        outputTokens,
        promptTokens,
      });
    }
  }

  private abortError(stop: StopReason): IrisError {
    if (stop === 'stalled') {
      return new IrisError(
        'VISION_STALLED',
        `No token from ${this.options.model} for ${this.options.stallMs} ms.`,
        {
          userMessage: 'The vision model stopped responding, so the answer was cut off here.',
          adminHint: `Ollama sent nothing for ${this.options.stallMs} ms; the host may be overloaded. DESCRIBE_STALL_MS sets this limit.`,
          retryable: true,
          details: { stallMs: this.options.stallMs },
        },
      );
    }
    if (stop === 'timeout') {
      return new IrisError(
        'VISION_TIMEOUT',
        `${this.options.model} did not finish within ${this.options.timeoutMs} ms.`,
        {
          userMessage: 'The vision model took too long, so the answer was cut off here.',
          adminHint: `DESCRIBE_TIMEOUT_MS (${this.options.timeoutMs} ms) was reached; a smaller model or a GPU answers faster.`,
          retryable: true,
          details: { timeoutMs: this.options.timeoutMs },
        },
      );
    }
    return new IrisError('CANCELLED', 'The request was cancelled.', {
      userMessage: 'The request was cancelled.',
    });
  }

  /** Checks that Ollama answers, the model is pulled and it accepts images. */
  async check(signal?: AbortSignal): Promise<VisionCheck> {
    const client = this.client(signal ?? AbortSignal.timeout(10_000));
    try {
      const shown = await client.show({ model: this.options.model });
      const capabilities = (shown as { capabilities?: string[] }).capabilities;
      const hasVision =
        capabilities?.includes('vision') ??
        // Older Ollama versions list no capabilities; a projector in the model info marks a vision model.
        (shown.projector_info !== undefined ||
          /clip|projector/i.test(JSON.stringify(shown.model_info ?? {})));
      if (!hasVision) return { ok: false, error: modelWithoutVision(this.context), capabilities };
      return { ok: true, capabilities };
    } catch (error) {
      const mapped = mapOllamaError(error, this.context);
      return {
        ok: false,
        error:
          mapped.code === 'VISION_FAILED' && /not found/i.test(mapped.message)
            ? modelNotPulled(this.context, error)
            : mapped,
      };
    }
  }
}
