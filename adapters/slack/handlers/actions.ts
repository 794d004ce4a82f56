import type { App, BlockAction } from '@slack/bolt';
import { newJobId, requestLogger } from '../../../src/core/requestLogger.js';
import { admitJob } from '../admitJob.js';
import { tellUser } from '../deleteJob.js';
import type { GeneratedImageRecord } from '../GeneratedImages.js';
import { imageActions, VARIATIONS_COUNT } from '../imageButtons.js';
import type { JobRunner } from '../JobRunner.js';
import type { SlackJob, SlackJobTarget } from '../jobs.js';
import { performJob } from '../performJob.js';
import type { SlackContext } from '../SlackContext.js';

type ImageAction = keyof typeof imageActions;

/** Builds the job one button click asks for, from the record of the images under the button. */
function jobFor(
  action: ImageAction,
  record: GeneratedImageRecord,
  target: SlackJobTarget,
  messageTs: string,
): SlackJob {
  const jobId = newJobId();
  switch (action) {
    case 'reroll':
      return { command: 'imagine', jobId, target, options: { ...record.options, seed: null } };
    case 'variations':
      return {
        command: 'imagine',
        jobId,
        target,
        options: { ...record.options, seed: null, count: String(VARIATIONS_COUNT) },
      };
    case 'describe':
      return {
        command: 'describe',
        jobId,
        target,
        files: record.fileIds.map((id) => ({ id, mimetype: 'image/png' })),
        options: {},
      };
    case 'delete':
      return { command: 'delete', jobId, target, messageTs };
  }
}

/**
 * Registers the buttons under generated images. Each click is acknowledged first; the images' record
 * is then read from the store, and a click on buttons whose record has expired is answered privately.
 */
export function registerActionHandlers(app: App, context: SlackContext, runner: JobRunner): void {
  for (const action of Object.keys(imageActions) as ImageAction[]) {
    app.action<BlockAction>(imageActions[action], async ({ body, ack }) => {
      await ack();
      const channelId = body.channel?.id ?? body.container?.channel_id ?? '';
      const messageTs = (body.message?.ts ?? body.container?.message_ts ?? '') as string;
      const threadTs = (body.message?.thread_ts ?? messageTs) as string;
      const target: SlackJobTarget = {
        teamId: body.team?.id ?? '',
        channelId,
        userId: body.user.id,
        threadTs,
        interactionId: body.trigger_id,
      };
      const logger = requestLogger(context.core.logger, {
        platform: 'slack',
        guild: target.teamId,
        channel: channelId,
        user: target.userId,
        interaction: body.trigger_id,
        command: action,
      });

      runner.defer(logger, async () => {
        const record = await context.generatedImages.find(channelId, messageTs);
        if (record === undefined) {
          logger.info({ messageTs }, 'button record not found');
          await tellUser(
            context,
            { target },
            'These buttons have expired. Run `/imagine` again to get new ones.',
          );
          return;
        }
        const job = jobFor(action, { ...record }, { ...target, threadTs: record.threadTs }, messageTs);
        if (job.command === 'delete') {
          await performJob(context, job);
          return;
        }
        // Re-roll, Variations and Describe are model work: admission first, then the queue.
        await admitJob(context, runner, logger, job, { tell: (text) => tellUser(context, { target }, text) });
      });
    });
  }
}
