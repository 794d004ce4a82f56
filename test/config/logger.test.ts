import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { requestLogger } from '../../src/core/requestLogger.js';
import { IrisError } from '../../src/errors/IrisError.js';
import { createLogger } from '../../src/logging/logger.js';

function capture(): { lines: () => Array<Record<string, unknown>>; text: () => string; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const secret = 'hf_SuperSecretToken123';

describe('createLogger', () => {
  it('writes JSON lines with request ids from a child logger', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', destination: out.stream });
    requestLogger(logger, { platform: 'discord', guild: 'g1', channel: 'c1', user: 'u1', job: 'j1' }).info(
      'job started',
    );
    expect(out.lines()[0]).toMatchObject({
      level: 30,
      msg: 'job started',
      platform: 'discord',
      guild: 'g1',
      channel: 'c1',
      user: 'u1',
      job: 'j1',
    });
  });

  it('redacts secrets in messages, fields and errors', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', secrets: [secret], destination: out.stream });
    logger.info(`token is ${secret}`);
    logger.info(
      { url: `https://example.invalid/?token=${secret}`, headers: { authorization: `Bearer ${secret}` } },
      'request',
    );
    logger.error(
      { err: new IrisError('IMAGINE_FAILED', `failed with ${secret}`, { userMessage: 'x' }) },
      'failure',
    );
    logger.warn({ err: new Error(`nested ${secret}`, { cause: new Error(secret) }) }, 'wrapped');
    expect(out.text()).not.toContain(secret);
    expect(out.text()).toContain('[redacted]');
  });

  it('keeps the error code on the log line', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', destination: out.stream });
    logger.error(
      { err: new IrisError('VISION_UNREACHABLE', 'down', { userMessage: 'x' }) },
      'describe failed',
    );
    expect(out.lines()[0]?.err).toMatchObject({ code: 'VISION_UNREACHABLE', type: 'IrisError' });
  });
});
