import type { ChatInputCommandInteraction, MessageContextMenuCommandInteraction } from 'discord.js';
import { parseDescribeOptions } from '../../../commands/describe/options.js';
import { IrisError } from '../../../src/errors/IrisError.js';
import type { DiscordContext } from '../context.js';
import { checkDeclaredImage, imageSourcesOfMessage, sourceOfAttachment } from '../imageSources.js';
import type { DescribeJob } from '../job.js';
import { interactionLogger, jobBase, refuse } from './acknowledge.js';
import { submitInteractionJob } from './submitJob.js';

/** `/describe image [mode] [question] [private]`. */
export async function handleDescribeCommand(
  context: DiscordContext,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const logger = interactionLogger(context, interaction, 'describe');
  let job: DescribeJob;
  const raw = {
    mode: interaction.options.getString('mode'),
    question: interaction.options.getString('question'),
  };
  try {
    const options = parseDescribeOptions(raw);
    const source = sourceOfAttachment(interaction.options.getAttachment('image', true));
    checkDeclaredImage(source, context.core.imageLimits.maxBytes);
    job = {
      ...jobBase(interaction, interaction.options.getBoolean('private') ?? false),
      command: 'describe',
      options,
      images: [source],
    };
  } catch (error) {
    return refuse(context, interaction, error, logger);
  }
  await submitInteractionJob(context, interaction, job, logger, {
    guildDescribeMode: raw.mode === null && raw.question === null,
  });
}

/** The message context menu **Describe image**: the images of the message it is used on. */
export async function handleDescribeMenu(
  context: DiscordContext,
  interaction: MessageContextMenuCommandInteraction,
): Promise<void> {
  const logger = interactionLogger(context, interaction, 'describe-menu');
  let job: DescribeJob;
  try {
    const images = imageSourcesOfMessage(interaction.targetMessage);
    if (images.length === 0) {
      throw new IrisError('INVALID_OPTION', 'The message has no image.', {
        userMessage: 'That message has no image attachments or image embeds to describe.',
      });
    }
    for (const source of images) checkDeclaredImage(source, context.core.imageLimits.maxBytes);
    job = { ...jobBase(interaction, false), command: 'describe', options: parseDescribeOptions({}), images };
  } catch (error) {
    return refuse(context, interaction, error, logger);
  }
  await submitInteractionJob(context, interaction, job, logger, { guildDescribeMode: true });
}
