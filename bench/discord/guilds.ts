import { ChannelType } from 'discord-api-types/v10';
import { guildCreatePayload } from '../../test/discord/server/guildPayload.js';
import type { LocalDiscord } from '../../test/discord/server/localDiscord.js';
import { newSnowflake } from '../../test/discord/server/snowflake.js';

/** A guild the bench adds to the local Discord, with the one text channel its users work in. */
export interface BenchGuild {
  id: string;
  channelId: string;
}

/**
 * Adds `count` guilds, each with one text channel, and tells the connected bot it joined them
 * (GUILD_CREATE), so discord.js caches them as it would on Discord. The local Discord itself knows
 * one guild; these guilds exist only through their channels' `guild_id` and the dispatched payloads.
 */
export function addGuilds(discord: LocalDiscord, count: number): BenchGuild[] {
  const guilds: BenchGuild[] = [];
  for (let index = 0; index < count; index++) {
    const id = newSnowflake();
    const channel = discord.state.addChannel(ChannelType.GuildText, {
      guild_id: id,
      name: `bench-${index + 1}`,
    });
    const base = guildCreatePayload(discord.state);
    const roles = base.roles as Array<Record<string, unknown>>;
    discord.gateway.dispatch('GUILD_CREATE', {
      ...base,
      id,
      name: `Bench guild ${index + 1}`,
      roles: roles.map((role) => ({ ...role, id })),
      channels: [channel],
      threads: [],
    });
    guilds.push({ id, channelId: channel.id });
  }
  return guilds;
}
