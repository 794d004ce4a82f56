import { parseImagineOptions } from '../../commands/imagine/options.js';
import { toIrisError } from '../../src/errors/IrisError.js';
import { type Refusal, refusalMessage, slackDate } from '../../src/limits/Refusal.js';
import type { Logger } from '../../src/logging/logger.js';
import { applyPromptPolicy } from '../../src/settings/applyPromptPolicy.js';
import { guildSettingsDefaults } from '../../src/settings/guildSettingsDefaults.js';
import type { GuildSettings } from '../../src/settings/guildSettingsSchema.js';
import { JobCard } from './JobCard.js';
import type { JobRunner } from './JobRunner.js';
import { type QueuedSlackJob, toJobRequest } from './jobs.js';
import type { SlackContext } from './SlackContext.js';
import { escapeSlackText } from './slackSink.js';

export interface AdmitOptions {
  /** Tells the requester something only they see; the text may contain Slack markup. */
  tell(text: string): Promise<void>;
  /**
   * Posts the slash command's anchor once the prompt and channel checks pass. The job then posts
   * in the anchor's thread, and the anchor shows its queue status.
   */
  postAnchor?(): Promise<{ ts: string; text: string; reused?: boolean }>;
}

/** Formats a refusal for the requester, with Slack dates and, for a channel refusal, the allowed channels. */
export function slackRefusalText(refusal: Refusal, settings: GuildSettings | undefined): string {
  const text = refusalMessage(refusal, slackDate, 'workspace');
  if (refusal.reason !== 'channel-not-allowed' || settings === undefined) return text;
  return `${text} Allowed channels: ${settings.allowedChannels.map((id) => `<#${id}>`).join(', ')}.`;
}

/**
 * Checks a request against the workspace's settings and limits, then queues it. Applies the
 * workspace's default describe mode and, for `/imagine`, its prompt policy (blocked words and
 * patterns, NSFW words, the safety negative prompt; Slack has no age-restricted channels). A
 * refusal is sent to the requester only. An accepted job gets a {@link JobCard} that follows it
 * through the queue. Returns whether the job was queued.
 */
export async function admitJob(
  context: SlackContext,
  runner: JobRunner,
  logger: Logger,
  job: QueuedSlackJob,
  options: AdmitOptions,
): Promise<boolean> {
  const { jobSystem } = context;
  const scope = { platform: 'slack' as const, guildId: job.target.teamId };

  let settings: GuildSettings;
  try {
    settings = await jobSystem.settings.get(scope);
  } catch (error) {
    const failure = toIrisError(error);
    if (job.command === 'imagine') {
      logger.error({ err: failure, code: failure.code }, 'request rejected: settings unreadable');
      await options.tell(failure.userMessage);
      return false;
    }
    // Admission also lets /describe through on the defaults while the store is away.
    settings = guildSettingsDefaults(context.core.config);
  }

  const allowed = settings.allowedChannels;
  if (allowed.length > 0 && !allowed.includes(job.target.channelId)) {
    logger.info({ reason: 'channel-not-allowed' }, 'request rejected by a limit');
    await options.tell(slackRefusalText({ reason: 'channel-not-allowed' }, settings));
    return false;
  }

  if (job.command === 'imagine') {
    try {
      const { prompt, negativePrompt } = parseImagineOptions(job.options);
      const negative = applyPromptPolicy(settings, { prompt, negativePrompt, ageRestricted: false });
      if (negative !== undefined) job.policyNegative = negative;
    } catch (error) {
      const failure = toIrisError(error);
      logger.info({ code: failure.code, ...failure.details }, 'request rejected');
      await options.tell(escapeSlackText(failure.userMessage));
      return false;
    }
  } else if (job.options.mode === undefined && job.options.question === undefined) {
    job.options.mode = settings.defaultDescribeMode;
  }

  let anchor: { ts: string; text: string } | undefined;
  let anchorReused = false;
  if (options.postAnchor !== undefined) {
    const posted = await options.postAnchor();
    anchor = { ts: posted.ts, text: posted.text };
    anchorReused = posted.reused === true;
    job.target.threadTs = anchor.ts;
    if (job.command === 'imagine') {
      job.anchorTs = anchor.ts;
      job.anchorText = anchor.text;
    }
  }

  const result = await jobSystem.admission.admit(toJobRequest(job));
  if (!result.accepted) {
    if (anchor !== undefined && !anchorReused) {
      await context.client.chat
        .delete({ channel: job.target.channelId, ts: anchor.ts })
        .catch((error: unknown) =>
          logger.warn({ err: error }, 'could not delete the refused request’s anchor'),
        );
    }
    await options.tell(slackRefusalText(result.refusal, settings));
    return false;
  }

  const jobLogger = logger.child({ job: result.job.id });
  jobLogger.info({ state: result.status.state }, 'request queued');
  new JobCard(context, runner, jobLogger, {
    jobId: result.job.id,
    channelId: job.target.channelId,
    threadTs: job.target.threadTs,
    requesterId: job.target.userId,
    ...(anchor ? { anchor } : {}),
  }).follow(result.status);
  return true;
}
