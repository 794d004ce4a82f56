import { IrisError } from '../../src/errors/IrisError.js';
import { downloadImage } from '../../src/image/downloadImage.js';

/** The fields of a Slack file object that Iris reads; plain data, so jobs can carry it. */
export interface SlackFileRef {
  id: string;
  name?: string;
  mimetype?: string;
  /** Absent when the event left it out; the job then looks the file up with files.info. */
  urlPrivate?: string;
}

/** What users read when Slack returns its login page instead of a file. */
export const FILES_READ_MESSAGE = 'Cannot read this file: the app needs the files:read scope.';

interface RawSlackFile {
  id?: string;
  name?: string;
  mimetype?: string;
  url_private?: string;
  url_private_download?: string;
}

/** Converts Slack file objects (from events, shortcuts or files.info) into file references. */
export function toFileRefs(files: unknown): SlackFileRef[] {
  if (!Array.isArray(files)) return [];
  return (files as RawSlackFile[])
    .filter((file) => typeof file?.id === 'string')
    .map((file) => ({
      id: file.id as string,
      ...(file.name ? { name: file.name } : {}),
      ...(file.mimetype ? { mimetype: file.mimetype } : {}),
      ...(file.url_private_download || file.url_private
        ? { urlPrivate: file.url_private_download ?? file.url_private }
        : {}),
    }));
}

/** True for files Slack labels as images; files without a MIME type are tried as well. */
export function isImageFile(file: SlackFileRef): boolean {
  return file.mimetype === undefined || file.mimetype.startsWith('image/');
}

export interface SlackDownloadOptions {
  botToken: string;
  allowedHosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

// Slack's login page is sometimes served without a text/html type; its first bytes give it away.
function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 256)).toString('utf8').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

/**
 * Downloads a Slack file from `url_private` with the bot token as a bearer header, only from Slack's
 * file hosts. A login page instead of the file means the token lacks `files:read`.
 */
export async function downloadSlackFile(url: string, options: SlackDownloadOptions): Promise<Uint8Array> {
  const bytes = await downloadImage(url, {
    allowedHosts: options.allowedHosts,
    maxBytes: options.maxBytes,
    timeoutMs: options.timeoutMs,
    headers: { Authorization: `Bearer ${options.botToken}` },
    ...(options.signal ? { signal: options.signal } : {}),
    htmlMessage: FILES_READ_MESSAGE,
  });
  if (looksLikeHtml(bytes)) {
    throw new IrisError('DOWNLOAD_NOT_AN_IMAGE', 'Got an HTML page without an HTML content type.', {
      userMessage: FILES_READ_MESSAGE,
      adminHint: 'Add the files:read scope to the Slack app and reinstall it.',
    });
  }
  return bytes;
}
