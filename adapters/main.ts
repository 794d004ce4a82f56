import './requireNode.js';
import { ConfigError, loadConfig, secretValues } from '../src/config/load.js';
import type { AdapterEntry } from '../src/lifecycle/PlatformAdapter.js';
import { StartupError } from '../src/lifecycle/StartupError.js';
import { startService } from '../src/lifecycle/startService.js';
import { createLogger } from '../src/logging/logger.js';
import { onManagerShutdown, shardOfProcess } from './discord/sharding/shardProcess.js';

export type { AdapterEntry, RunningAdapter } from '../src/lifecycle/PlatformAdapter.js';

// Each platform is loaded only when its token is set, so a Slack-only install never loads discord.js.
const adapters: AdapterEntry[] = [
  {
    name: 'discord',
    tokenVariable: 'DISCORD_TOKEN',
    startupHint: 'DISCORD_TOKEN (the bot token from the developer portal) and DISCORD_API_URL',
    start: async (core, services) =>
      (await import('./discord/startDiscord.js')).startDiscord(core, { jobs: services.jobSystem }),
  },
  {
    name: 'slack',
    tokenVariable: 'SLACK_BOT_TOKEN',
    startupHint:
      'SLACK_BOT_TOKEN, SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode), and SLACK_API_URL',
    start: async (core, services) =>
      (await import('./slack/startSlackAdapter.js')).startSlackAdapter(core, services.jobSystem),
  },
];

async function main(): Promise<void> {
  // Set when `npm run start:sharded` spawned this process as one Discord shard.
  const shard = shardOfProcess();
  const loaded = loadConfig();
  // Each shard serves health and metrics on its own port: HEALTH_PORT plus its shard id.
  const config =
    shard === undefined || loaded.HEALTH_PORT === 0
      ? loaded
      : { ...loaded, HEALTH_PORT: loaded.HEALTH_PORT + shard.id };
  // Only shard 0 also runs the other platforms, so Slack is connected once, not once per shard.
  const enabled = adapters.filter(
    (adapter) =>
      config[adapter.tokenVariable] !== undefined &&
      (shard === undefined || shard.id === 0 || adapter.name === 'discord'),
  );
  if (enabled.length === 0) {
    process.stderr.write(
      'iris: no platform is configured. Set DISCORD_TOKEN (Discord) and/or SLACK_BOT_TOKEN (Slack); see .env.example for every setting.\n',
    );
    process.exitCode = 1;
    return;
  }

  // Start-up checks, the health listener, the adapters, and graceful shutdown on SIGTERM and SIGINT.
  const root = createLogger({ level: config.LOG_LEVEL, secrets: secretValues(config) });
  const logger = shard === undefined ? root : root.child({ shard: shard.id });
  const service = await startService({ config, logger, adapters: enabled, shard: shard?.id });
  // The manager asks by IPC rather than by signal: after Ctrl-C the terminal has signalled this
  // process already, and a second signal would mean "exit at once".
  if (shard !== undefined) {
    onManagerShutdown(() => {
      service.shutdown('shard manager').then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'graceful shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    process.stderr.write(`iris: ${error.message}\n`);
  } else {
    process.stderr.write(`iris: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exitCode = 1;
});
