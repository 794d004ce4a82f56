import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../adapters/discord/commandDefinitions.js';
import { registerCommands } from '../../adapters/discord/registerCommands.js';
import { type LocalDiscord, startLocalDiscord } from './server/localDiscord.js';

describe('registerCommands', () => {
  let discord: LocalDiscord;
  let rest: REST;
  beforeAll(async () => {
    discord = await startLocalDiscord();
    rest = new REST({ api: discord.apiUrl }).setToken(discord.token);
  });
  afterAll(async () => {
    await discord?.close();
  });

  it('registers to one guild', async () => {
    expect(await registerCommands(rest, discord.state.guildId)).toBe(commandDefinitions.length);
    const call = discord.calls.find((item) => item.method === 'PUT');
    expect(call?.path).toBe(
      `/applications/${discord.state.applicationId}/guilds/${discord.state.guildId}/commands`,
    );
  });

  it('registers globally', async () => {
    expect(await registerCommands(rest, undefined)).toBe(commandDefinitions.length);
    expect(discord.calls.at(-1)?.path).toBe(`/applications/${discord.state.applicationId}/commands`);
  });
});
