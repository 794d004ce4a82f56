import type { Attachment, Message } from 'discord.js';
import { IrisError } from '../../src/errors/IrisError.js';

/** An image to describe, as Discord declares it before anything is downloaded. */
export interface ImageSource {
  url: string;
  filename: string;
  /** Declared MIME type; absent for embeds and some old attachments. */
  contentType?: string;
  /** Declared size in bytes; absent for embeds. */
  size?: number;
}

/** Most images one request describes; more would keep a thread busy for minutes. */
export const MAX_IMAGES_PER_REQUEST = 4;

const IMAGE_EXTENSION = /\.(jpe?g|png|webp|gif|avif|tiff?|heic|heif)$/i;

function isImageAttachment(attachment: Attachment): boolean {
  if (attachment.contentType) return attachment.contentType.startsWith('image/');
  return IMAGE_EXTENSION.test(attachment.name);
}

export function sourceOfAttachment(attachment: Attachment): ImageSource {
  return {
    url: attachment.url,
    filename: attachment.name,
    ...(attachment.contentType ? { contentType: attachment.contentType } : {}),
    size: attachment.size,
  };
}

/** The images of a message, attachments first, then image embeds, at most MAX_IMAGES_PER_REQUEST. */
export function imageSourcesOfMessage(message: Message): ImageSource[] {
  const sources = message.attachments.filter(isImageAttachment).map(sourceOfAttachment);
  for (const embed of message.embeds) {
    const url = embed.image?.url ?? embed.thumbnail?.url;
    if (url) sources.push({ url, filename: new URL(url).pathname.split('/').pop() || 'embed image' });
  }
  return sources.slice(0, MAX_IMAGES_PER_REQUEST);
}

/**
 * Rejects an image by what Discord declares about it, before any download: a type that is not an
 * image, or a size over `maxBytes`.
 */
export function checkDeclaredImage(source: ImageSource, maxBytes: number): void {
  const typeOk = source.contentType
    ? source.contentType.startsWith('image/')
    : IMAGE_EXTENSION.test(source.filename);
  if (!typeOk) {
    throw new IrisError(
      'IMAGE_UNSUPPORTED_FORMAT',
      `Attachment ${source.filename} is ${source.contentType}.`,
      {
        userMessage: `“${source.filename}” is not an image (${source.contentType ?? 'unknown type'}). Please attach a JPEG, PNG, WebP, GIF, AVIF or TIFF image.`,
        details: { contentType: source.contentType },
      },
    );
  }
  if (source.size !== undefined && source.size > maxBytes) {
    const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
    throw new IrisError('IMAGE_TOO_LARGE', `Attachment is ${source.size} bytes, over ${maxBytes}.`, {
      userMessage: `“${source.filename}” is ${mib(source.size)}, over the ${mib(maxBytes)} limit. Please attach a smaller image.`,
      details: { bytes: source.size, maxBytes },
    });
  }
}
