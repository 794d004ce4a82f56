import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { describeModeLabels, describeModes } from '../../commands/describe/modes.js';
import { MAX_QUESTION_LENGTH } from '../../commands/describe/options.js';
import { imageSizes, imagineLimits } from '../../commands/imagine/options.js';
import { irisCommand } from './irisCommandDefinition.js';

/** Name of the message context menu command. */
export const DESCRIBE_MENU_NAME = 'Describe image';

// Installed in servers, usable in servers and in DMs with the bot.
const availability = {
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
};

const privateOption = {
  type: ApplicationCommandOptionType.Boolean,
  name: 'private',
  name_localizations: { 'en-US': 'private' },
  description: 'Show the result only to you, without a thread',
  description_localizations: { 'en-US': 'Show the result only to you, without a thread' },
} as const;

const describeCommand: RESTPostAPIApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'describe',
  name_localizations: { 'en-US': 'describe' },
  description: 'Describe an image with a vision model',
  description_localizations: { 'en-US': 'Describe an image with a vision model' },
  ...availability,
  options: [
    {
      type: ApplicationCommandOptionType.Attachment,
      name: 'image',
      name_localizations: { 'en-US': 'image' },
      description: 'The image to describe (JPEG, PNG, WebP, GIF, AVIF or TIFF)',
      description_localizations: { 'en-US': 'The image to describe (JPEG, PNG, WebP, GIF, AVIF or TIFF)' },
      required: true,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'mode',
      name_localizations: { 'en-US': 'mode' },
      description: 'What kind of description to write',
      description_localizations: { 'en-US': 'What kind of description to write' },
      choices: describeModes.map((mode) => ({
        name: describeModeLabels[mode],
        name_localizations: { 'en-US': describeModeLabels[mode] },
        value: mode,
      })),
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'question',
      name_localizations: { 'en-US': 'question' },
      description: 'A question about the image, answered instead of the mode',
      description_localizations: { 'en-US': 'A question about the image, answered instead of the mode' },
      max_length: MAX_QUESTION_LENGTH,
    },
    privateOption,
  ],
};

const describeMenu: RESTPostAPIApplicationCommandsJSONBody = {
  type: ApplicationCommandType.Message,
  name: DESCRIBE_MENU_NAME,
  name_localizations: { 'en-US': DESCRIBE_MENU_NAME },
  ...availability,
};

const imagineCommand: RESTPostAPIApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'imagine',
  name_localizations: { 'en-US': 'imagine' },
  description: 'Generate images from a prompt with OpenJourney',
  description_localizations: { 'en-US': 'Generate images from a prompt with OpenJourney' },
  ...availability,
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'prompt',
      name_localizations: { 'en-US': 'prompt' },
      description: 'What the image should show',
      description_localizations: { 'en-US': 'What the image should show' },
      required: true,
      min_length: imagineLimits.promptLength.min,
      max_length: imagineLimits.promptLength.max,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'negative',
      name_localizations: { 'en-US': 'negative' },
      description: 'What the image should not show',
      description_localizations: { 'en-US': 'What the image should not show' },
      max_length: imagineLimits.negativeLength.max,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'size',
      name_localizations: { 'en-US': 'size' },
      description: 'Width × height in pixels',
      description_localizations: { 'en-US': 'Width × height in pixels' },
      choices: imageSizes.map((size) => ({ name: size.replace('x', '×'), value: size })),
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'count',
      name_localizations: { 'en-US': 'count' },
      description: `How many images (default ${imagineLimits.count.default})`,
      description_localizations: { 'en-US': `How many images (default ${imagineLimits.count.default})` },
      min_value: imagineLimits.count.min,
      max_value: imagineLimits.count.max,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'seed',
      name_localizations: { 'en-US': 'seed' },
      description: 'Seed of the first image, for repeatable results (random if empty)',
      description_localizations: {
        'en-US': 'Seed of the first image, for repeatable results (random if empty)',
      },
      min_value: imagineLimits.seed.min,
      max_value: imagineLimits.seed.max,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'steps',
      name_localizations: { 'en-US': 'steps' },
      description: `Denoising steps: more is slower and finer (default ${imagineLimits.steps.default})`,
      description_localizations: {
        'en-US': `Denoising steps: more is slower and finer (default ${imagineLimits.steps.default})`,
      },
      min_value: imagineLimits.steps.min,
      max_value: imagineLimits.steps.max,
    },
    {
      type: ApplicationCommandOptionType.Number,
      name: 'guidance',
      name_localizations: { 'en-US': 'guidance' },
      description: `How closely to follow the prompt (default ${imagineLimits.guidance.default})`,
      description_localizations: {
        'en-US': `How closely to follow the prompt (default ${imagineLimits.guidance.default})`,
      },
      min_value: imagineLimits.guidance.min,
      max_value: imagineLimits.guidance.max,
    },
    privateOption,
  ],
};

/** Every command Iris registers with Discord. */
export const commandDefinitions: RESTPostAPIApplicationCommandsJSONBody[] = [
  describeCommand,
  describeMenu,
  imagineCommand,
  irisCommand,
];
