import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging/logger.js';
import type { ReadinessChecks } from './ReadinessChecks.js';

export interface HealthServerOptions {
  host: string;
  /** TCP port; 0 picks a free one (tests). Turning the listener off is the caller's choice, not a port. */
  port: number;
  readiness: ReadinessChecks;
  /** Registry served at `/metrics`; without one `/metrics` returns 404. */
  registry?: Registry;
  logger: Logger;
}

/** A listening health server. */
export interface HealthServer {
  /** Base URL, such as `http://127.0.0.1:9464`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  head: boolean,
): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  response.end(head ? undefined : body);
}

const sendJson = (response: ServerResponse, status: number, body: unknown, head: boolean) =>
  send(response, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`, head);

/**
 * Starts the HTTP listener for probes and scrapes:
 * - `GET /healthz`: liveness, 200 while the process runs its event loop;
 * - `GET /readyz`: readiness, 200 when every registered check passes, else 503 naming the failing ones;
 * - `GET /metrics`: the registry in Prometheus text format.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { logger, readiness, registry } = options;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const head = request.method === 'HEAD';
    if (request.method !== 'GET' && !head) {
      response.setHeader('allow', 'GET, HEAD');
      sendJson(response, 405, { error: `method ${request.method} not allowed; use GET` }, false);
      return;
    }

    if (path === '/healthz') {
      sendJson(response, 200, { status: 'ok' }, head);
    } else if (path === '/readyz') {
      const report = await readiness.run();
      if (!report.ready) logger.debug({ failing: report.failing }, 'readiness check failed');
      sendJson(
        response,
        report.ready ? 200 : 503,
        { status: report.ready ? 'ready' : 'not ready', failing: report.failing, checks: report.checks },
        head,
      );
    } else if (path === '/metrics' && registry !== undefined) {
      send(response, 200, registry.contentType, await registry.metrics(), head);
    } else {
      sendJson(response, 404, { error: `no such path: ${path}; try /healthz, /readyz or /metrics` }, head);
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error({ err: error, path: request.url }, 'health endpoint failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' }, false);
      else response.destroy();
    });
  });
  // Probes need no keep-alive; short timeouts keep a stuck client from holding shutdown.
  server.keepAliveTimeout = 1_000;
  server.requestTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `HEALTH_PORT ${options.port} on ${options.host} is already in use: set HEALTH_PORT to a free port, or 0 to turn the health listener off`
            : `the health listener could not listen on ${options.host}:${options.port} (${error.code ?? error.message}): check HEALTH_HOST and HEALTH_PORT`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url }, 'health listener started: /healthz, /readyz, /metrics');

  return {
    url,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
