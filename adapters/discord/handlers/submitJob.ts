import { MessageFlags, type RepliableInteraction } from 'discord.js';
import { toIrisError } from '../../../src/errors/IrisError.js';
import type { Logger } from '../../../src/logging/logger.js';
import { applyPromptPolicy } from '../../../src/settings/applyPromptPolicy.js';
import type { GuildSettings } from '../../../src/settings/guildSettingsSchema.js';
import { pendingText } from '../anchor.js';
import { watchAnchor } from '../anchorStatus.js';
import type { DiscordContext } from '../context.js';
import { logDiscordError } from '../discordErrors.js';
import type { DiscordJob } from '../job.js';
import { type AdmissionScope, admissionGuildId, queueRequest } from '../queuedJob.js';
import { refusalText } from '../refusalText.js';
import { jobLogger } from '../runJob.js';
import { postAnchor } from './acknowledge.js';

export interface SubmitOptions {
  /** Use the guild's default describe mode, because the user chose neither a mode nor a question. */
  guildDescribeMode?: boolean;
  /** The anchor, when the handler already acknowledged with a deferred public reply. */
  deferredAnchorId?: string;
}

/** Where admission counts an interaction's request; threads count as their parent channel. */
export function admissionScope(interaction: RepliableInteraction): AdmissionScope {
  const channel = interaction.channel;
  const parentId = channel?.isThread() ? channel.parentId : null;
  return {
    guildId: admissionGuildId(interaction.guildId, interaction.user.id),
    channelId: parentId ?? interaction.channelId ?? '',
  };
}

/** Whether the channel (or a thread's parent) is age-restricted; DMs are not. */
function isAgeRestricted(interaction: RepliableInteraction): boolean {
  const channel = interaction.channel;
  const checked = channel?.isThread() ? channel.parent : channel;
  return checked !== null && checked !== undefined && 'nsfw' in checked && checked.nsfw === true;
}

/**
 * Applies the guild's settings to the job: its default describe mode, and for `/imagine` the blocked
 * words and the NSFW policy. Throws `PROMPT_BLOCKED`, or `STORE_UNAVAILABLE` for `/imagine` (which
 * fails closed); `/describe` goes on with the job's own options while the store is down.
 */
async function applyGuildSettings(
  context: DiscordContext,
  interaction: RepliableInteraction,
  job: DiscordJob,
  scope: AdmissionScope,
  options: SubmitOptions,
  logger: Logger,
): Promise<void> {
  let settings: GuildSettings;
  try {
    settings = await context.jobs.settings.get({ platform: 'discord', guildId: scope.guildId });
  } catch (error) {
    if (job.command === 'imagine') throw error;
    logger.warn({ err: error }, 'guild settings unreadable; /describe keeps its own options');
    return;
  }

  if (job.command === 'describe') {
    if (options.guildDescribeMode) job.options = { ...job.options, mode: settings.defaultDescribeMode };
    return;
  }
  const negative = applyPromptPolicy(settings, {
    prompt: job.options.prompt,
    negativePrompt: job.options.negativePrompt,
    ageRestricted: isAgeRestricted(interaction),
  });
  if (negative !== undefined) job.sentNegativePrompt = negative;
}

/** Replaces the acknowledgement with an ephemeral refusal; never throws. */
async function refuseAfterAnchor(
  context: DiscordContext,
  interaction: RepliableInteraction,
  job: DiscordJob,
  text: string,
  logger: Logger,
): Promise<void> {
  try {
    if (job.delivery === 'ephemeral') {
      await interaction.editReply({ content: text, components: [], allowedMentions: { parse: [] } });
      return;
    }
    // A public anchor cannot become ephemeral, so it goes and the refusal follows only for the user.
    await interaction.deleteReply();
    await interaction.followUp({
      content: text,
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  } catch (error) {
    logDiscordError(context.core.metrics, logger, error, 'reply with refusal');
  }
}

/**
 * Acknowledges the interaction with the anchor (before any store I/O), applies the guild's settings,
 * and asks admission for a place in the queue. A refusal replaces the anchor with an ephemeral
 * message that names the limit and when the next slot opens. An admitted job is queued as plain
 * data, and its anchor follows it through the queue with a Cancel button. Returns the job id, or
 * undefined when the job was not queued.
 */
export async function submitInteractionJob(
  context: DiscordContext,
  interaction: RepliableInteraction,
  job: DiscordJob,
  logger: Logger,
  options: SubmitOptions = {},
): Promise<string | undefined> {
  if (options.deferredAnchorId !== undefined) job.anchorMessageId = options.deferredAnchorId;
  else if (!(await postAnchor(context, interaction, job, pendingText(job), logger))) return undefined;

  const scope = admissionScope(interaction);
  try {
    await applyGuildSettings(context, interaction, job, scope, options, logger);
  } catch (error) {
    const iris = toIrisError(error);
    logger.info({ code: iris.code, ...iris.details }, `request refused: ${iris.message}`);
    await refuseAfterAnchor(context, interaction, job, iris.userMessage, logger);
    return undefined;
  }

  const result = await context.jobs.admission.admit(
    queueRequest({ kind: 'interaction', job }, scope, job.ids.user),
  );
  if (!result.accepted) {
    const text = await refusalText(context, result.refusal, { platform: 'discord', guildId: scope.guildId });
    await refuseAfterAnchor(context, interaction, job, text, logger);
    return undefined;
  }

  job.ids.job = result.job.id;
  const log = jobLogger(context, job);
  log.info(
    { state: result.status.state, position: 'position' in result.status ? result.status.position : 0 },
    'job admitted',
  );
  watchAnchor(context, job, log, result.status);
  return job.ids.job;
}
