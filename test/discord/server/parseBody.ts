import type { IncomingMessage } from 'node:http';
import type { UploadedFile } from './messages.js';

/** Reads a JSON or multipart/form-data body (`payload_json` plus `files[n]`), as discord.js sends them. */
export async function parseBody(
  request: IncomingMessage,
  raw: Buffer,
): Promise<{ body: Record<string, unknown>; files: UploadedFile[] }> {
  const contentType = request.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: {}, files: [] };
  if (!contentType.startsWith('multipart/form-data')) {
    return { body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, files: [] };
  }

  // The WHATWG Request parser handles boundaries and binary parts exactly as a browser would.
  const form = await new Request('http://127.0.0.1/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  }).formData();
  const payload = form.get('payload_json');
  const files: UploadedFile[] = [];
  for (const [name, value] of form.entries()) {
    const match = /^files\[(\d+)\]$/.exec(name);
    if (!match || typeof value === 'string') continue;
    files.push({
      index: Number(match[1]),
      filename: value.name,
      contentType: value.type || 'application/octet-stream',
      data: Buffer.from(await value.arrayBuffer()),
    });
  }
  return { body: typeof payload === 'string' ? (JSON.parse(payload) as Record<string, unknown>) : {}, files };
}
