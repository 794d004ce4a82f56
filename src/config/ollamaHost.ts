const OLLAMA_DEFAULT_PORT = '11434';

/**
 * Normalises an `OLLAMA_HOST` value the way the Ollama CLI reads it: `host`, `host:port`, or a full URL.
 * A value without a scheme is HTTP on port 11434 unless it names a port; a URL keeps its scheme's port.
 * Returns the origin without a trailing slash, or `undefined` when the value is not a usable host.
 */
export function normalizeOllamaHost(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;

  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
  let url: URL;
  try {
    url = new URL(hasScheme ? trimmed : `http://${trimmed}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.hostname === '') return undefined;
  if (!hasScheme && url.port === '') url.port = OLLAMA_DEFAULT_PORT;

  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}
