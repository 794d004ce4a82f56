import type { Keyv } from 'keyv';
import type { RawImagineOptions } from '../../commands/imagine/options.js';

/**
 * How long the buttons under a generated image keep working, in milliseconds (7 days). After that,
 * or after a restart while the store is in memory, a button answers that it has expired.
 */
export const GENERATED_IMAGE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** What the buttons under one set of generated images need to act on them. */
export interface GeneratedImageRecord {
  teamId: string;
  channelId: string;
  threadTs: string;
  /** Whoever asked for the images; with workspace admins, the only user who may delete them. */
  requesterId: string;
  /** The options as the user gave them; the seed is the first image's. */
  options: RawImagineOptions;
  /** Slack file ids of the uploaded images, in order. */
  fileIds: string[];
}

/** Generated-image records keyed by the channel and `ts` of the message that carries the buttons. */
export class GeneratedImages {
  constructor(
    private readonly store: Keyv<GeneratedImageRecord>,
    private readonly ttlMs = GENERATED_IMAGE_TTL_MS,
  ) {}

  private key(channelId: string, messageTs: string): string {
    return `image:${channelId}:${messageTs}`;
  }

  async save(messageTs: string, record: GeneratedImageRecord): Promise<void> {
    await this.store.set(this.key(record.channelId, messageTs), record, this.ttlMs);
  }

  async find(channelId: string, messageTs: string): Promise<GeneratedImageRecord | undefined> {
    return this.store.get(this.key(channelId, messageTs));
  }

  async remove(channelId: string, messageTs: string): Promise<void> {
    await this.store.delete(this.key(channelId, messageTs));
  }
}
