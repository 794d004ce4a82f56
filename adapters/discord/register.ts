import { REST } from 'discord.js';
import { loadConfig, secretValues } from '../../src/config/load.js';
import { createLogger } from '../../src/logging/logger.js';
import { registerCommands } from './registerCommands.js';

// `npm run register`: registers the commands globally, or to DISCORD_GUILD_ID when it is set.
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, secrets: secretValues(config) });
  if (config.DISCORD_TOKEN === undefined) {
    logger.error('DISCORD_TOKEN is not set: set it to the bot token from the Discord developer portal.');
    process.exitCode = 1;
    return;
  }
  const rest = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
  const count = await registerCommands(rest, config.DISCORD_GUILD_ID);
  logger.info(
    { count, guild: config.DISCORD_GUILD_ID ?? 'global' },
    config.DISCORD_GUILD_ID ? 'commands registered to the guild' : 'commands registered globally',
  );
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`iris register: ${message}\n`);
  process.exitCode = 1;
});
