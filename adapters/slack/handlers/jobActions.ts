import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { requestLogger } from '../../../src/core/requestLogger.js';
import { admitJob } from '../admitJob.js';
import { tellUser } from '../deleteJob.js';
import type { JobRunner } from '../JobRunner.js';
import { jobActions } from '../jobButtons.js';
import type { SlackJobTarget } from '../jobs.js';
import type { SlackContext } from '../SlackContext.js';

/** The reply to anyone but the requester who presses Cancel or Retry. */
export const ONLY_REQUESTER_MESSAGE = 'Only the person who made this request can cancel or retry it.';

/**
 * Registers the buttons on queue status messages. **Cancel** removes a waiting job, or stops a running
 * one, for its requester only; the status message then says it was cancelled. **Retry**, offered after
 * a restart interrupted a job, sends the stored job through admission again, for its requester only.
 */
export function registerJobActionHandlers(app: App, context: SlackContext, runner: JobRunner): void {
  app.action<BlockAction<ButtonAction>>(jobActions.cancel, async ({ body, action, ack }) => {
    await ack();
    const target = clickTarget(body);
    const logger = requestLogger(context.core.logger, {
      platform: 'slack',
      guild: target.teamId,
      channel: target.channelId,
      user: target.userId,
      interaction: body.trigger_id,
      job: action.value,
    });

    runner.defer(logger, async () => {
      const result = await context.jobSystem.queue.cancel(action.value ?? '', target.userId);
      if (result.ok) return;
      logger.info({ reason: result.reason }, 'cancel rejected');
      await tellUser(
        context,
        { target },
        result.reason === 'not-requester'
          ? ONLY_REQUESTER_MESSAGE
          : 'This request has already finished or was cancelled.',
      );
    });
  });

  app.action<BlockAction<ButtonAction>>(jobActions.retry, async ({ body, action, ack }) => {
    await ack();
    const target = clickTarget(body);
    const logger = requestLogger(context.core.logger, {
      platform: 'slack',
      guild: target.teamId,
      channel: target.channelId,
      user: target.userId,
      interaction: body.trigger_id,
    });

    runner.defer(logger, async () => {
      const oldJobId = action.value ?? '';
      const job = await context.interruptedJobs.find(oldJobId);
      if (job === undefined) {
        await tellUser(context, { target }, 'This request can no longer be retried. Please send it again.');
        return;
      }
      if (job.target.userId !== target.userId) {
        await tellUser(context, { target }, ONLY_REQUESTER_MESSAGE);
        return;
      }

      const tell = (text: string) => tellUser(context, { target }, text);
      const anchor =
        job.command === 'imagine' && job.anchorTs !== undefined && job.anchorText !== undefined
          ? { ts: job.anchorTs, text: job.anchorText, reused: true }
          : undefined;
      if (anchor === undefined && target.messageTs !== undefined) {
        // The Retry button was in a direct message; it has done its work.
        await context.client.chat.update({
          channel: target.channelId,
          ts: target.messageTs,
          text: 'Retried.',
          blocks: [],
        });
      }
      const queued = await admitJob(context, runner, logger, job, {
        tell,
        ...(anchor ? { postAnchor: async () => anchor } : {}),
      });
      if (!queued) return;
      await context.interruptedJobs.remove(oldJobId);

      // The status message the interrupted job left in its thread is stale now.
      const staleTs = await context.statusMessages.find(oldJobId);
      if (staleTs !== undefined) {
        await context.client.chat
          .delete({ channel: job.target.channelId, ts: staleTs })
          .catch((error: unknown) => logger.info({ err: error }, 'stale status message not deleted'));
        await context.statusMessages.remove(oldJobId);
      }
    });
  });
}

function clickTarget(body: BlockAction): SlackJobTarget & { messageTs: string | undefined } {
  const channelId = body.channel?.id ?? body.container?.channel_id ?? '';
  const messageTs = (body.message?.ts ?? body.container?.message_ts) as string | undefined;
  return {
    teamId: body.team?.id ?? '',
    channelId,
    userId: body.user.id,
    threadTs: (body.message?.thread_ts ?? messageTs ?? '') as string,
    interactionId: body.trigger_id,
    messageTs,
  };
}
