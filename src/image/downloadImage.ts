import { IrisError } from '../errors/IrisError.js';

export interface DownloadOptions {
  /** Hostnames (optionally host:port) that may serve the file; redirects are checked against them too. */
  allowedHosts: readonly string[];
  maxBytes: number;
  /** Limit for the whole download, redirects included, in milliseconds. */
  timeoutMs: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** What to tell the user when the server sends a web page instead of the file. */
  htmlMessage?: string;
}

// Redirects followed at most; file hosts redirect once to a storage host at most in practice.
const MAX_REDIRECTS = 3;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function hostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  // Plain HTTP only for loopback, which is where local test servers listen.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return false;
  const host = url.hostname.toLowerCase();
  return allowedHosts.some((allowed) => allowed === host || allowed === url.host.toLowerCase());
}

function downloadFailed(message: string, userMessage: string, cause?: unknown): IrisError {
  return new IrisError('DOWNLOAD_FAILED', message, { userMessage, retryable: true, cause });
}

/**
 * Downloads an attachment with a host allow-list, a timeout and a byte cap that is enforced while
 * reading, so a server that lies about Content-Length cannot push more than `maxBytes` into memory.
 * Never returns HTML: a login page instead of the file is reported with `htmlMessage`.
 */
export async function downloadImage(rawUrl: string, options: DownloadOptions): Promise<Uint8Array> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let url = new URL(rawUrl);

  try {
    let response: Response | undefined;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!hostAllowed(url, options.allowedHosts)) {
        throw new IrisError('DOWNLOAD_HOST_NOT_ALLOWED', `Refused to download from ${url.host}.`, {
          userMessage: 'That file is not hosted where the bot may download from, so it was not read.',
          adminHint:
            'Only the platform’s own file hosts are allowed; see DISCORD_CDN_HOSTS and SLACK_FILE_HOSTS.',
          details: { host: url.host },
        });
      }
      response = await fetch(url, { headers: options.headers, redirect: 'manual', signal });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = new URL(location, url);
        continue;
      }
      break;
    }
    if (response === undefined || (response.status >= 300 && response.status < 400)) {
      throw downloadFailed('Too many redirects.', 'Could not download the file: too many redirects.');
    }

    const contentType = response.headers.get('content-type') ?? '';
    if (/text\/html/i.test(contentType)) {
      await response.body?.cancel();
      throw new IrisError(
        'DOWNLOAD_NOT_AN_IMAGE',
        `Got an HTML page (HTTP ${response.status}) instead of the file.`,
        {
          userMessage:
            options.htmlMessage ?? 'Cannot read this file: the server sent a web page instead of the image.',
          details: { status: response.status, host: url.host },
        },
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw downloadFailed(
        `Download failed with HTTP ${response.status}.`,
        `Could not download the file (HTTP ${response.status}). Please upload it again.`,
      );
    }

    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > options.maxBytes) {
      await response.body?.cancel();
      throw tooLarge(declared, options.maxBytes);
    }

    const chunks: Uint8Array[] = [];
    let received = 0;
    for await (const chunk of response.body ?? []) {
      received += chunk.byteLength;
      if (received > options.maxBytes) throw tooLarge(received, options.maxBytes);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, received);
  } catch (error) {
    if (error instanceof IrisError) throw error;
    if (timeout.aborted) {
      throw new IrisError('DOWNLOAD_TIMEOUT', `Download did not finish within ${options.timeoutMs} ms.`, {
        userMessage: 'Downloading the file took too long. Please try again.',
        retryable: true,
        cause: error,
      });
    }
    if (options.signal?.aborted) throw error;
    throw downloadFailed(
      `Download failed: ${(error as Error).message}`,
      'Could not download the file. Please try again.',
      error,
    );
  }
}

function tooLarge(bytes: number, maxBytes: number): IrisError {
  const mib = (value: number) => `${(value / (1024 * 1024)).toFixed(1)} MiB`;
  return new IrisError('IMAGE_TOO_LARGE', `File is over ${maxBytes} bytes.`, {
    userMessage: `This file is ${mib(bytes)} or more, over the ${mib(maxBytes)} limit. Please upload a smaller image.`,
    details: { bytes, maxBytes },
  });
}
