import { imagine } from '../../commands/imagine/imagine.js';
import type { Logger } from '../../src/logging/logger.js';
import { modelWaitText, refreshAnchor } from './anchor.js';
import { resultButtons } from './buttons.js';
import type { DiscordContext } from './context.js';
import { fitUpload } from './fitUpload.js';
import type { ImagineJob } from './job.js';
import { queueButtonRow } from './queueButtons.js';
import type { OutgoingFile, ReplyTarget } from './replyTarget.js';

/** Discord's limit for an attachment's alt text, in characters. */
const MAX_ALT_TEXT = 1024;
/** Line of a result message that carries the negative prompt; the buttons read it back. */
export const NEGATIVE_PREFIX = 'Negative prompt: ';

/**
 * Generates the job's images and posts them in one message with their seeds and the result buttons.
 * While the model warms up or the image service rate-limits Iris, the anchor says how long the wait is.
 */
export async function performImagine(
  context: DiscordContext,
  job: ImagineJob,
  target: ReplyTarget,
  logger: Logger,
  signal?: AbortSignal,
): Promise<void> {
  // The model gets the negative prompt after the guild's policy; the message shows the user's own.
  const sent = { ...job.options, negativePrompt: job.sentNegativePrompt ?? job.options.negativePrompt };
  const result = await imagine(context.core.images, sent, {
    trigger: context.core.config.IMAGINE_TRIGGER,
    signal,
    onWait: (notice) => {
      logger.info({ reason: notice.reason, waitMs: notice.waitMs }, 'waiting for the image model');
      // The anchor keeps its Cancel button. A final edit drops this refresh if it is still waiting.
      refreshAnchor(context, job, logger, () => ({
        content: modelWaitText(job, notice),
        components: queueButtonRow({ action: 'cancel', jobId: job.ids.job, requesterId: job.ids.user }),
      }));
    },
  });

  const lines: string[] = [];
  const files: OutgoingFile[] = [];
  const generated = result.images.filter((image) => image.png !== undefined);
  // Discord's upload limit applies to the whole request, so each image gets an equal share.
  const share = Math.floor(job.uploadLimitBytes / Math.max(1, generated.length));
  for (const image of result.images) {
    if (image.png === undefined) {
      lines.push(`Seed ${image.seed}: blocked by the model’s safety filter.`);
      continue;
    }
    const fitted = await fitUpload(image.png, share);
    files.push({
      name: `iris-${image.seed}.${fitted.extension}`,
      data: fitted.data,
      contentType: fitted.contentType,
      description: job.options.prompt.slice(0, MAX_ALT_TEXT),
    });
    lines.push(
      `Seed ${image.seed}${fitted.recompressed ? ' (recompressed as JPEG to fit the upload limit)' : ''}`,
    );
  }
  if (job.options.negativePrompt) lines.push(`${NEGATIVE_PREFIX}${job.options.negativePrompt}`);

  signal?.throwIfAborted();
  await target.send({
    content: `Imagined for <@${job.ids.user}>:\n${lines.join('\n')}`,
    files,
    components: resultButtons(job.options, job.ids.user),
  });
  logger.info({ seeds: result.images.map((image) => image.seed), files: files.length }, 'images posted');
}
