import type { ChatInputCommandInteraction } from 'discord.js';
import { parseImagineOptions } from '../../../commands/imagine/options.js';
import type { DiscordContext } from '../context.js';
import type { ImagineJob } from '../job.js';
import { interactionLogger, jobBase, refuse } from './acknowledge.js';
import { submitInteractionJob } from './submitJob.js';

/** `/imagine prompt [negative] [size] [count] [seed] [steps] [guidance] [private]`. */
export async function handleImagineCommand(
  context: DiscordContext,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const logger = interactionLogger(context, interaction, 'imagine');
  let job: ImagineJob;
  try {
    const options = parseImagineOptions({
      prompt: interaction.options.getString('prompt', true),
      negative: interaction.options.getString('negative'),
      size: interaction.options.getString('size'),
      count: interaction.options.getInteger('count'),
      seed: interaction.options.getInteger('seed'),
      steps: interaction.options.getInteger('steps'),
      guidance: interaction.options.getNumber('guidance'),
    });
    job = {
      ...jobBase(interaction, interaction.options.getBoolean('private') ?? false),
      command: 'imagine',
      options,
    };
  } catch (error) {
    return refuse(context, interaction, error, logger);
  }
  await submitInteractionJob(context, interaction, job, logger);
}
