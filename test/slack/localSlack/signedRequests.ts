import { createHmac } from 'node:crypto';

export type RequestKind = 'events_api' | 'slash_commands' | 'interactive';

export interface SignedPostOptions {
  signingSecret: string;
  /** Seconds added to the current time for the timestamp header; negative values make it stale. */
  timestampOffsetSeconds?: number;
  /** Signs with this secret instead, producing a bad signature. */
  wrongSecret?: string;
  /** Sent as X-Slack-Retry-Num, as Slack does when it retries an event. */
  retryNum?: number;
}

export interface SignedPostResult {
  status: number;
  body: string;
  /** Milliseconds from sending the request to the end of the response. */
  ackMs: number;
}

/** Encodes a payload the way Slack sends each kind: events as JSON, commands and actions as forms. */
function encode(kind: RequestKind, payload: Record<string, unknown>): { body: string; contentType: string } {
  if (kind === 'events_api') return { body: JSON.stringify(payload), contentType: 'application/json' };
  if (kind === 'interactive') {
    return {
      body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    };
  }
  const fields = Object.fromEntries(Object.entries(payload).map(([key, value]) => [key, String(value)]));
  return { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' };
}

/**
 * Posts a payload to an HTTP receiver as Slack does: `X-Slack-Request-Timestamp` and an
 * `X-Slack-Signature` of `v0=` HMAC-SHA256 over `v0:<timestamp>:<body>` with the signing secret.
 */
export async function postSigned(
  url: string,
  kind: RequestKind,
  payload: Record<string, unknown>,
  options: SignedPostOptions,
): Promise<SignedPostResult> {
  const { body, contentType } = encode(kind, payload);
  const timestamp = Math.floor(Date.now() / 1000) + (options.timestampOffsetSeconds ?? 0);
  const secret = options.wrongSecret ?? options.signingSecret;
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;

  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
      ...(options.retryNum !== undefined
        ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' }
        : {}),
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, body: text, ackMs: performance.now() - started };
}
