import { buildDescribeMessages, type DescribeRequest, describe } from '../../commands/describe/describe.js';
import type { VisionEvent, VisionMessage } from '../../src/backends/ollama/OllamaVision.js';
import { downloadImage } from '../../src/image/downloadImage.js';
import { type NormalizedImage, normalizeImage } from '../../src/image/normalizeImage.js';
import type { Logger } from '../../src/logging/logger.js';
import { StreamingReply } from '../../src/stream/StreamingReply.js';
import type { DiscordContext } from './context.js';
import { logDiscordError } from './discordErrors.js';
import type { ImageSource } from './imageSources.js';
import type { DescribeJob } from './job.js';
import type { ReplyTarget } from './replyTarget.js';

/** Discord's limit for a message's content, in characters. */
export const DISCORD_MAX_MESSAGE_LENGTH = 2000;

/** Downloads an attachment from Discord's CDN and normalises it for the model. */
export async function fetchImage(
  context: DiscordContext,
  source: ImageSource,
  signal?: AbortSignal,
): Promise<NormalizedImage> {
  const bytes = await downloadImage(source.url, {
    allowedHosts: context.settings.cdnHosts,
    maxBytes: context.core.imageLimits.maxBytes,
    timeoutMs: context.core.config.DOWNLOAD_TIMEOUT_MS,
    signal,
    htmlMessage:
      'Discord sent a web page instead of the image; the link may have expired. Please upload it again.',
  });
  return normalizeImage(bytes, context.core.imageLimits);
}

export interface StreamedAnswer {
  text: string;
  /** Messages posted and edits made for this answer. */
  updates: number;
}

/**
 * Streams one answer into `target` through StreamingReply, with `heading` above the first tokens.
 * A cut-off answer keeps its text and says why it ends early; an answer with no text throws.
 */
export async function streamAnswer(
  context: DiscordContext,
  target: ReplyTarget,
  events: AsyncIterable<VisionEvent>,
  heading: string,
  logger: Logger,
): Promise<StreamedAnswer> {
  const reply = new StreamingReply<string>(
    {
      send: (text) => target.send({ content: text }),
      edit: (id, text) => target.edit(id, { content: text }),
    },
    {
      intervalMs: context.settings.editIntervalMs,
      maxLength: DISCORD_MAX_MESSAGE_LENGTH,
      onError: (error) => logDiscordError(context.core.metrics, logger, error, 'update streamed message'),
      beforeUpdate: context.streamPacer.wait,
    },
  );

  let answer = '';
  let finalText: string | undefined;
  for await (const event of events) {
    if (event.type === 'text') {
      reply.append(answer === '' ? `${heading}${event.delta}` : event.delta);
      answer += event.delta;
      continue;
    }
    if (event.error) {
      if (answer.trim() === '') throw event.error;
      finalText = `${heading}${answer}\n\n*${event.error.userMessage}*`;
      logger.warn({ code: event.error.code, stop: event.stop }, 'answer cut short');
    }
  }
  if (answer.trim() === '') finalText = `${heading}*The model returned no text for this image.*`;
  await reply.finish(finalText);
  logger.info(
    { updates: reply.updates, messages: reply.messages.length, characters: answer.length },
    'answer streamed',
  );
  return { text: answer, updates: reply.updates };
}

/** A conversation's turns as they are kept between follow-ups: without the image bytes. */
export function historyAfter(request: DescribeRequest, answer: string): VisionMessage[] {
  const turns = buildDescribeMessages(request).map(({ role, content }) => ({ role, content }));
  return [...turns, { role: 'assistant', content: answer }];
}

/** Describes each image of the job, one after another, into `target`; returns the last conversation. */
export async function performDescribe(
  context: DiscordContext,
  job: DescribeJob,
  target: ReplyTarget,
  logger: Logger,
  signal?: AbortSignal,
): Promise<{ image: NormalizedImage; history: VisionMessage[] } | undefined> {
  let last: { image: NormalizedImage; history: VisionMessage[] } | undefined;
  for (const [index, source] of job.images.entries()) {
    const heading =
      job.images.length > 1 ? `**Image ${index + 1} of ${job.images.length}** (${source.filename})\n` : '';
    signal?.throwIfAborted();
    const image = await fetchImage(context, source, signal);
    const notes = image.notes.map((note) => `*${note}*\n`).join('');
    const request: DescribeRequest = { ...job.options, image };
    const answer = await streamAnswer(
      context,
      target,
      describe(context.core.vision, request, signal),
      `${heading}${notes}`,
      logger,
    );
    last = { image, history: historyAfter(request, answer.text) };
  }
  return last;
}
