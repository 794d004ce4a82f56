import { ConfigError, loadConfig, secretValues } from '../src/config/load.js';
import type { AdapterEntry } from '../src/lifecycle/PlatformAdapter.js';
import { StartupError } from '../src/lifecycle/StartupError.js';
import { startService } from '../src/lifecycle/startService.js';
import { createLogger } from '../src/logging/logger.js';

export type { AdapterEntry, RunningAdapter } from '../src/lifecycle/PlatformAdapter.js';

// Each platform is loaded only when its token is set, so a Slack-only install never loads discord.js.
const adapters: AdapterEntry[] = [
  {
    name: 'discord',
    tokenVariable: 'DISCORD_TOKEN',
    start: async (core, services) =>
      (await import('./discord/startDiscord.js')).startDiscord(core, { jobs: services.jobSystem }),
  },
  {
    name: 'slack',
    tokenVariable: 'SLACK_BOT_TOKEN',
    start: async (core, services) =>
      (await import('./slack/startSlackAdapter.js')).startSlackAdapter(core, services.jobSystem),
  },
];

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

  // Start-up checks, the health listener, the adapters, and graceful shutdown on SIGTERM and SIGINT.
  const logger = createLogger({ level: config.LOG_LEVEL, secrets: secretValues(config) });
  await startService({ config, logger, adapters: enabled });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    process.stderr.write(`iris: ${error.message}\n`);
  } else {
    process.stderr.write(
      `iris: start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  process.exitCode = 1;
});
