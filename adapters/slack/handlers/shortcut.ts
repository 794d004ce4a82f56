import type { App, MessageShortcut } from '@slack/bolt';
import { newJobId, requestLogger } from '../../../src/core/requestLogger.js';
import { admitJob } from '../admitJob.js';
import { tellUser } from '../deleteJob.js';
import type { JobRunner } from '../JobRunner.js';
import type { SlackContext } from '../SlackContext.js';
import { isImageFile, toFileRefs } from '../slackFiles.js';

/** The callback id of the **Describe image** message shortcut, as declared in the app manifest. */
export const DESCRIBE_SHORTCUT_ID = 'describe_image';

/** Registers the **Describe image** message shortcut: it describes the images of the chosen message. */
export function registerShortcutHandler(app: App, context: SlackContext, runner: JobRunner): void {
  app.shortcut<MessageShortcut>(
    { callback_id: DESCRIBE_SHORTCUT_ID, type: 'message_action' },
    async ({ shortcut, ack }) => {
      await ack();
      const message = shortcut.message as { ts: string; thread_ts?: string; files?: unknown };
      const target = {
        teamId: shortcut.team?.id ?? '',
        channelId: shortcut.channel.id,
        userId: shortcut.user.id,
        threadTs: message.thread_ts ?? message.ts,
        responseUrl: shortcut.response_url,
        interactionId: shortcut.trigger_id,
      };
      const files = toFileRefs(message.files);
      const jobId = newJobId();

      if (!files.some(isImageFile)) {
        runner.defer(context.core.logger, async () => {
          await context.client.chat.postEphemeral({
            channel: target.channelId,
            user: target.userId,
            text: 'That message has no image to describe. Use *Describe image* on a message with an image attached.',
          });
        });
        return;
      }
      const logger = requestLogger(context.core.logger, {
        platform: 'slack',
        guild: target.teamId,
        channel: target.channelId,
        user: target.userId,
        interaction: target.interactionId,
        command: 'describe',
      });
      runner.defer(logger, async () => {
        await admitJob(
          context,
          runner,
          logger,
          { command: 'describe', jobId, target, files, options: {} },
          {
            tell: (text) => tellUser(context, { target }, text),
          },
        );
      });
    },
  );
}
