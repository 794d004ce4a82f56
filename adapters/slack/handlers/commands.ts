import type { App } from '@slack/bolt';
import { describeModes } from '../../../commands/describe/modes.js';
import { parseImagineOptions } from '../../../commands/imagine/options.js';
import { newJobId, requestLogger } from '../../../src/core/requestLogger.js';
import { toIrisError } from '../../../src/errors/IrisError.js';
import { admitJob } from '../admitJob.js';
import { parseImagineFlags } from '../imagineFlags.js';
import type { JobRunner } from '../JobRunner.js';
import { respondEphemeral } from '../postInThread.js';
import type { SlackContext } from '../SlackContext.js';
import { fromSlackError, recordSlackApiError } from '../slackErrors.js';
import { escapeSlackText } from '../slackSink.js';

/** What `/describe` answers: Slack slash commands cannot carry files. */
export const DESCRIBE_HELP = [
  'Slash commands cannot carry files, so `/describe` cannot see an image. Instead:',
  '• Mention me in a message with the image attached: `@Iris what is in this picture?`',
  `• Or add a mode after the mention: ${describeModes.map((mode) => `\`${mode}\``).join(', ')}`,
  '• Or use the *Describe image* shortcut from the ⋮ menu of any message with an image.',
  '• In a direct message with me, just send the image.',
].join('\n');

/**
 * Registers `/imagine` and `/describe`. `/imagine` checks its options before the ack, so mistakes are
 * answered at once and only to the user. After the ack it goes through admission: the anchor message
 * is posted once the prompt passes the workspace's policy, and shows the queue status; a refusal is
 * answered through the command's `response_url`, only to the user.
 */
export function registerCommandHandlers(app: App, context: SlackContext, runner: JobRunner): void {
  app.command('/describe', async ({ ack }) => {
    await ack({ response_type: 'ephemeral', text: DESCRIBE_HELP });
  });

  app.command('/imagine', async ({ command, ack }) => {
    // Replaced by the queue's job id on admission.
    const jobId = newJobId();
    const logger = requestLogger(context.core.logger, {
      platform: 'slack',
      guild: command.team_id,
      channel: command.channel_id,
      user: command.user_id,
      interaction: command.trigger_id,
      command: 'imagine',
    });

    let options: ReturnType<typeof parseImagineFlags>;
    let prompt: string;
    try {
      options = parseImagineFlags(command.text);
      prompt = parseImagineOptions(options).prompt;
    } catch (error) {
      const failure = toIrisError(error);
      logger.info({ code: failure.code, ...failure.details }, 'request rejected');
      await ack({ response_type: 'ephemeral', text: escapeSlackText(failure.userMessage) });
      return;
    }
    await ack();

    const target = {
      teamId: command.team_id,
      channelId: command.channel_id,
      userId: command.user_id,
      threadTs: '',
      responseUrl: command.response_url,
      interactionId: command.trigger_id,
    };
    const tell = (text: string) => respondEphemeral(command.response_url, text, { markup: true });
    runner.defer(logger, async () => {
      try {
        await admitJob(
          context,
          runner,
          logger,
          { command: 'imagine', jobId, target, options },
          {
            tell,
            async postAnchor() {
              const text = `<@${command.user_id}> asked me to imagine: *${escapeSlackText(prompt)}*`;
              const anchor = await context.client.chat.postMessage({ channel: command.channel_id, text });
              return { ts: anchor.ts as string, text };
            },
          },
        );
      } catch (error) {
        const failure = fromSlackError(error, 'chat.postMessage');
        recordSlackApiError(context.core.metrics, error);
        logger.warn(
          { err: failure, ...failure.details, adminHint: failure.adminHint },
          'anchor message failed',
        );
        await respondEphemeral(command.response_url, failure.userMessage);
      }
    });
  });
}
