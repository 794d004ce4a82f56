import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

/** Whether `redis-server` can be run here; the Redis rows are skipped with this reason when not. */
export const redisServerMissing: string | undefined =
  spawnSync('redis-server', ['--version']).status === 0 ? undefined : 'redis-server is not installed';

/** A private redis-server on 127.0.0.1, without persistence, that a test stops and starts again. */
export interface LocalRedis {
  url: string;
  start(): Promise<void>;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

export function localRedis(port: number): LocalRedis {
  let server: ChildProcess | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      server = child;
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('Ready to accept connections')) resolve();
        });
        child.once('exit', () =>
          reject(new Error(`redis-server on port ${port} exited before it was ready`)),
        );
      });
    },
    async stop() {
      const child = server;
      server = undefined;
      if (child === undefined || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
