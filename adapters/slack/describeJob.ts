import { describe } from '../../commands/describe/describe.js';
import { parseDescribeOptions } from '../../commands/describe/options.js';
import type { VisionMessage } from '../../src/backends/ollama/OllamaVision.js';
import { IrisError, toIrisError } from '../../src/errors/IrisError.js';
import { normalizeImage } from '../../src/image/normalizeImage.js';
import type { Logger } from '../../src/logging/logger.js';
import { StreamingReply } from '../../src/stream/StreamingReply.js';
import type { DescribeJob } from './jobs.js';
import { postInThread } from './postInThread.js';
import type { SlackContext } from './SlackContext.js';
import { fromSlackError, recordSlackApiError } from './slackErrors.js';
import { downloadSlackFile, isImageFile, type SlackFileRef, toFileRefs } from './slackFiles.js';
import { createThreadSink, SLACK_MAX_MESSAGE_LENGTH } from './slackSink.js';
import { readThreadContext } from './threadHistory.js';

/** Most images described from one message; Slack allows 10 files per message. */
export const MAX_IMAGES_PER_MESSAGE = 4;

const NO_IMAGE_HELP =
  'Attach an image to your message and mention me to have it described, or write `@Iris imagine <prompt>` to generate one.';

async function resolveUrl(context: SlackContext, file: SlackFileRef): Promise<string> {
  if (file.urlPrivate) return file.urlPrivate;
  const info = await context.client.files.info({ file: file.id });
  const [resolved] = toFileRefs([info.file]);
  if (resolved?.urlPrivate === undefined) {
    throw new IrisError('DOWNLOAD_FAILED', `files.info returned no url_private for ${file.id}.`, {
      userMessage: 'Slack did not give me a link to this file. Please upload it again.',
    });
  }
  return resolved.urlPrivate;
}

/** Downloads, normalises and describes one image, streaming the model's output into the thread. */
async function describeOne(
  context: SlackContext,
  job: DescribeJob,
  file: SlackFileRef,
  heading: string,
  history: VisionMessage[] | undefined,
  logger: Logger,
): Promise<void> {
  const { config } = context.core;
  const { channelId, threadTs } = job.target;
  const options = parseDescribeOptions({
    mode: job.options.mode ?? null,
    question: job.options.question ?? null,
  });

  let image: Awaited<ReturnType<typeof normalizeImage>>;
  try {
    const bytes = await downloadSlackFile(await resolveUrl(context, file), {
      botToken: context.botToken,
      allowedHosts: config.SLACK_FILE_HOSTS,
      maxBytes: config.MAX_IMAGE_BYTES,
      timeoutMs: config.DOWNLOAD_TIMEOUT_MS,
      signal: context.signal,
    });
    image = await normalizeImage(bytes, context.core.imageLimits);
  } catch (error) {
    const failure = toIrisError(error);
    logger.warn({ err: failure, code: failure.code, fileId: file.id }, 'image could not be read');
    await postInThread(context, job.target, `${heading}${failure.userMessage}`);
    return;
  }

  const reply = new StreamingReply(createThreadSink(context.client, channelId, threadTs), {
    intervalMs: config.SLACK_EDIT_INTERVAL_MS,
    maxLength: SLACK_MAX_MESSAGE_LENGTH,
    beforeUpdate: context.updatePacers.for(job.target.teamId).wait,
    onError: (error) => {
      const failure = fromSlackError(error);
      recordSlackApiError(context.core.metrics, error);
      logger.warn({ err: failure, ...failure.details }, 'streamed update failed; the next update retries');
    },
  });
  reply.append(heading);

  let finalText = heading;
  for await (const event of describe(
    context.core.vision,
    { ...options, image, ...(history ? { history } : {}) },
    context.signal,
  )) {
    if (event.type === 'text') {
      reply.append(event.delta);
      continue;
    }
    finalText = `${heading}${event.text}`;
    if (event.error) {
      logger.warn({ err: event.error, code: event.error.code, stop: event.stop }, 'answer cut short');
      finalText += `\n\n_${event.error.userMessage}_`;
    }
  }
  for (const note of image.notes) finalText += `\n\n_${note}_`;

  const messages = await reply.finish(finalText);
  logger.info({ fileId: file.id, updates: reply.updates, messages: messages.length }, 'image described');
}

/** Describes each image of a describe job, one streamed reply per image, in the job's thread. */
export async function performDescribe(
  context: SlackContext,
  job: DescribeJob,
  logger: Logger,
): Promise<void> {
  let files = job.files;
  let history: VisionMessage[] | undefined;
  if (job.followUp) {
    const thread = await readThreadContext(
      context,
      job.target.channelId,
      job.target.threadTs,
      job.followUp.messageTs,
    );
    if (thread === undefined) {
      await postInThread(context, job.target, NO_IMAGE_HELP);
      return;
    }
    files = thread.files;
    history = thread.history;
  }

  const images = files.filter(isImageFile);
  if (images.length === 0) {
    await postInThread(
      context,
      job.target,
      files.length === 0
        ? NO_IMAGE_HELP
        : 'None of the attached files is an image. Please attach a JPEG, PNG, WebP or GIF image.',
    );
    return;
  }

  const described = images.slice(0, MAX_IMAGES_PER_MESSAGE);
  if (images.length > described.length) {
    await postInThread(
      context,
      job.target,
      `You attached ${images.length} images; I describe the first ${MAX_IMAGES_PER_MESSAGE}.`,
    );
  }
  for (const [index, file] of described.entries()) {
    const heading =
      described.length === 1
        ? ''
        : `*Image ${index + 1} of ${described.length}*${file.name ? ` (${file.name})` : ''}\n`;
    await describeOne(context, job, file, heading, history, logger);
  }
}
