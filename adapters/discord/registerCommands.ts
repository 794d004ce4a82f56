import type { REST } from 'discord.js';
import { type RESTGetCurrentApplicationResult, Routes } from 'discord-api-types/v10';
import { commandDefinitions } from './commandDefinitions.js';

/**
 * Registers Iris's commands: to one guild when `guildId` is set (updates show at once, for testing),
 * else globally. Replaces the whole set, so removed commands disappear. Returns how many were registered.
 */
export async function registerCommands(rest: REST, guildId: string | undefined): Promise<number> {
  const application = (await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult;
  const route = guildId
    ? Routes.applicationGuildCommands(application.id, guildId)
    : Routes.applicationCommands(application.id);
  const registered = (await rest.put(route, { body: commandDefinitions })) as unknown[];
  return registered.length;
}
