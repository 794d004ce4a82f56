import { ConfigError, loadConfig } from '../src/config/load.js';
import type { Config } from '../src/config/schema.js';
import { createCore, type IrisCore } from '../src/core/createCore.js';

/** A running platform adapter. */
export interface RunningAdapter {
  name: string;
  stop(): Promise<void>;
}

interface AdapterEntry {
  name: string;
  /** The setting whose presence turns this adapter on. */
  tokenVariable: keyof Config;
  start(core: IrisCore): Promise<RunningAdapter>;
}

// Each platform is loaded only when its token is set, so a Slack-only install never loads discord.js.
const adapters: AdapterEntry[] = [];

async function main(): Promise<void> {
  const config = loadConfig();
  const enabled = adapters.filter((adapter) => config[adapter.tokenVariable] !== undefined);
  if (enabled.length === 0) {
    process.stderr.write(
      'iris: no platform is configured. Set DISCORD_TOKEN (Discord) and/or SLACK_BOT_TOKEN (Slack); see .env.example for every setting.\n',
    );
    process.exitCode = 1;
    return;
  }

  const core = createCore(config);
  const running: RunningAdapter[] = [];
  for (const adapter of enabled) {
    running.push(await adapter.start(core));
    core.logger.info({ platform: adapter.name }, 'platform adapter started');
  }

  const stop = async (signal: string) => {
    core.logger.info({ signal }, 'stopping');
    await Promise.allSettled(running.map((adapter) => adapter.stop()));
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`iris: ${error.message}\n`);
  } else {
    process.stderr.write(
      `iris: start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  process.exitCode = 1;
});
