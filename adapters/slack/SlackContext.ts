import type { webApi } from '@slack/bolt';
import type { IrisCore } from '../../src/core/createCore.js';
import type { EventDedupe } from './EventDedupe.js';
import type { GeneratedImages } from './GeneratedImages.js';

/** What every Slack handler and job shares. */
export interface SlackContext {
  core: IrisCore;
  client: webApi.WebClient;
  botToken: string;
  /** The bot's user id from auth.test, to tell its own thread messages apart. */
  botUserId: string;
  dedupe: EventDedupe;
  generatedImages: GeneratedImages;
  /** Aborted when the adapter stops, so running jobs end. */
  signal: AbortSignal;
}
