import { imagine } from '../../commands/imagine/imagine.js';
import { parseImagineOptions } from '../../commands/imagine/options.js';
import type { Logger } from '../../src/logging/logger.js';
import { imageButtonBlocks } from './imageButtons.js';
import type { ImagineJob } from './jobs.js';
import { postInThread } from './postInThread.js';
import type { SlackContext } from './SlackContext.js';
import { escapeSlackText } from './slackSink.js';

/** Longest alt text Slack stores for a file, in characters. */
const MAX_ALT_TEXT_LENGTH = 1000;

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * Generates the images of an imagine job, uploads them into the thread with files.uploadV2 and turns
 * the status message into the message with the Re-roll, Variations, Describe and Delete buttons.
 */
export async function performImagine(context: SlackContext, job: ImagineJob, logger: Logger): Promise<void> {
  const { client, core } = context;
  const { channelId, threadTs, userId } = job.target;
  // The negative prompt with the workspace's safety terms, which admission added.
  const options = parseImagineOptions({
    ...job.options,
    negative: job.policyNegative ?? job.options.negative ?? null,
  });

  const statusTs = await postInThread(
    context,
    job.target,
    `Generating ${plural(options.count, 'image')} (seed ${options.seed})…`,
  );
  const setStatus = async (text: string) => {
    await client.chat.update({ channel: channelId, ts: statusTs, text: escapeSlackText(text) });
  };

  const result = await imagine(core.images, options, {
    trigger: core.config.IMAGINE_TRIGGER,
    signal: context.signal,
    onWait: (notice) => {
      const seconds = Math.ceil(notice.waitMs / 1000);
      const text =
        notice.reason === 'loading'
          ? `The model is warming up; trying again in about ${seconds} s…`
          : `The image service is busy; trying again in ${seconds} s…`;
      setStatus(text).catch((error: unknown) => logger.warn({ err: error }, 'status update failed'));
    },
  });

  const posted = result.images.filter((image) => image.png !== undefined);
  const upload = await client.filesUploadV2({
    channel_id: channelId,
    thread_ts: threadTs,
    file_uploads: posted.map((image) => ({
      file: image.png as Buffer,
      filename: `iris-${image.seed}.png`,
      title: `Seed ${image.seed}`,
      alt_text: options.prompt.slice(0, MAX_ALT_TEXT_LENGTH),
    })),
  });
  // The completion response lists the file ids; its `shares` field is filled in later, so it is not read.
  const completions = (upload as { files?: Array<{ files?: Array<{ id?: string }> }> }).files ?? [];
  const fileIds = completions.flatMap((completion) =>
    (completion.files ?? []).map((file) => file.id).filter((id): id is string => id !== undefined),
  );

  const blocked = result.images.length - posted.length;
  const summary = [
    `<@${userId}>: *${escapeSlackText(options.prompt)}*`,
    `${options.size} · ${options.steps} steps · seed${posted.length === 1 ? '' : 's'} ${posted.map((image) => image.seed).join(', ')}`,
    ...(blocked > 0 ? [`_${plural(blocked, 'image')} blocked by the model’s safety filter._`] : []),
  ].join('\n');
  await client.chat.update({
    channel: channelId,
    ts: statusTs,
    text: summary,
    blocks: imageButtonBlocks(summary),
  });

  try {
    await context.generatedImages.save(statusTs, {
      teamId: job.target.teamId,
      channelId,
      threadTs,
      requesterId: userId,
      options: { ...job.options, seed: String(options.seed) },
      fileIds,
    });
  } catch (error) {
    // The images are posted; only their buttons will answer that they expired.
    logger.error({ err: error }, 'could not save the record behind the image buttons');
  }
  logger.info({ images: posted.length, blocked, fileIds }, 'images posted');
}
