import {
  type APIApplicationCommandBasicOption,
  type ApplicationCommandOptionAllowedChannelType,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { describeModeLabels, describeModes } from '../../commands/describe/modes.js';

/** Settings `/iris settings reset:` can return to their defaults, by option value. */
export const resettableSettings = {
  limits: 'All limits',
  defaultDescribeMode: 'Default describe mode',
  allowedChannels: 'Allowed channels (back to all)',
  blockedWords: 'Blocked words',
  blockedPatterns: 'Blocked patterns',
} as const;

// An option without its localizations, which `option` adds from the English name and description.
type Unlocalized<T> = T extends unknown ? Omit<T, 'name_localizations' | 'description_localizations'> : never;

function option(fields: Unlocalized<APIApplicationCommandBasicOption>): APIApplicationCommandBasicOption {
  return {
    ...fields,
    name_localizations: { 'en-US': fields.name },
    description_localizations: { 'en-US': fields.description },
  } as APIApplicationCommandBasicOption;
}

const channelTypes: ApplicationCommandOptionAllowedChannelType[] = [
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildForum,
];

// Ranges match the settings schema, so Discord rejects out-of-range values before the bot sees them.
const settingsOptions: APIApplicationCommandBasicOption[] = [
  option({
    type: ApplicationCommandOptionType.Integer,
    name: 'imagine_budget',
    description: '/imagine requests per budget window (1 hour unless configured); 0 turns it off',
    min_value: 0,
    max_value: 10_000,
  }),
  option({
    type: ApplicationCommandOptionType.Integer,
    name: 'describe_budget',
    description: '/describe requests per budget window (1 hour unless configured); 0 turns it off',
    min_value: 0,
    max_value: 10_000,
  }),
  option({
    type: ApplicationCommandOptionType.Integer,
    name: 'cooldown_seconds',
    description: 'Seconds each member waits between requests',
    min_value: 0,
    max_value: 3_600,
  }),
  option({
    type: ApplicationCommandOptionType.Integer,
    name: 'queue_cap',
    description: 'Requests this server may have waiting at once',
    min_value: 1,
    max_value: 100,
  }),
  option({
    type: ApplicationCommandOptionType.String,
    name: 'default_mode',
    description: 'Describe mode used when a member chooses none',
    choices: describeModes.map((mode) => ({
      name: describeModeLabels[mode],
      name_localizations: { 'en-US': describeModeLabels[mode] },
      value: mode,
    })),
  }),
  option({
    type: ApplicationCommandOptionType.Channel,
    name: 'allow_channel',
    description: 'Add a channel where the bot may answer (none listed: every channel)',
    channel_types: channelTypes,
  }),
  option({
    type: ApplicationCommandOptionType.Channel,
    name: 'disallow_channel',
    description: 'Remove a channel from the allowed channels',
    channel_types: channelTypes,
  }),
  option({
    type: ApplicationCommandOptionType.String,
    name: 'block_word',
    description: 'Add a word refused in /imagine prompts',
    min_length: 1,
    max_length: 60,
  }),
  option({
    type: ApplicationCommandOptionType.String,
    name: 'unblock_word',
    description: 'Remove a blocked word',
    min_length: 1,
    max_length: 60,
  }),
  option({
    type: ApplicationCommandOptionType.String,
    name: 'block_pattern',
    description: 'Add a regular expression refused in /imagine prompts',
    min_length: 1,
    max_length: 200,
  }),
  option({
    type: ApplicationCommandOptionType.String,
    name: 'unblock_pattern',
    description: 'Remove a blocked pattern',
    min_length: 1,
    max_length: 200,
  }),
  option({
    type: ApplicationCommandOptionType.String,
    name: 'reset',
    description: 'Return a setting to its default',
    choices: Object.entries(resettableSettings).map(([value, name]) => ({
      name,
      name_localizations: { 'en-US': name },
      value,
    })),
  }),
];

/**
 * `/iris settings` and `/iris usage`. Discord shows it only to members with Manage Server by default;
 * the handler checks again, because server admins can override command permissions.
 */
export const irisCommand: RESTPostAPIApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'iris',
  name_localizations: { 'en-US': 'iris' },
  description: 'Iris settings and usage for this server',
  description_localizations: { 'en-US': 'Iris settings and usage for this server' },
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'settings',
      name_localizations: { 'en-US': 'settings' },
      description: 'Show this server’s Iris settings, or change them with the options',
      description_localizations: {
        'en-US': 'Show this server’s Iris settings, or change them with the options',
      },
      options: settingsOptions,
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'usage',
      name_localizations: { 'en-US': 'usage' },
      description: 'Show this server’s use of its limits',
      description_localizations: { 'en-US': 'Show this server’s use of its limits' },
    },
  ],
};
