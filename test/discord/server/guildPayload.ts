import { ChannelType } from 'discord-api-types/v10';
import type { DiscordState } from './state.js';

// Every permission bit set: the local guild's @everyone role can do anything unless a test says otherwise.
const ALL_PERMISSIONS = ((1n << 51n) - 1n).toString();

/** The GUILD_CREATE payload for a local guild (the test guild by default): roles, the bot as a member, channels. */
export function guildCreatePayload(state: DiscordState, guildId = state.guildId): Record<string, unknown> {
  const inGuild = [...state.channels.values()].filter(
    (channel) => 'guild_id' in channel && channel.guild_id === guildId,
  );
  const channels = inGuild.filter(
    (channel) => channel.type !== ChannelType.PublicThread && channel.type !== ChannelType.PrivateThread,
  );
  const threads = inGuild.filter(
    (channel) => channel.type === ChannelType.PublicThread || channel.type === ChannelType.PrivateThread,
  );
  return {
    id: guildId,
    name: guildId === state.guildId ? 'Local guild' : `Local guild ${guildId}`,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: '1',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    features: [],
    mfa_level: 0,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    roles: [
      {
        id: guildId,
        name: '@everyone',
        color: 0,
        hoist: false,
        position: 0,
        permissions: ALL_PERMISSIONS,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    joined_at: new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [
      { user: state.botUser, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false },
    ],
    channels,
    threads,
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
  };
}
