import type { DescribeOptions } from '../../commands/describe/options.js';
import type { ImagineOptions } from '../../commands/imagine/options.js';
import type { ImageSource } from './imageSources.js';

/** Where a job's result goes: a thread started from the anchor, the interaction itself, or only the user. */
export type Delivery = 'thread' | 'in-place' | 'ephemeral';

/** The ids of the request a job answers. */
export interface JobIds {
  job: string;
  guild: string | undefined;
  channel: string;
  user: string;
  interaction: string;
  application: string;
}

interface JobBase {
  ids: JobIds;
  /** Interaction token, valid for 15 minutes after the interaction was created; never logged. */
  interactionToken: string;
  /** When the interaction was created, in milliseconds since the epoch. */
  interactionCreatedAt: number;
  delivery: Delivery;
  /** Why the result is not delivered in a thread, shown to the user; absent for thread delivery. */
  deliveryNote?: string;
  /** The interaction's reply that announces the job and gets its final state. */
  anchorMessageId: string | undefined;
  threadId: string | undefined;
  /** Largest upload the channel accepts, in bytes. */
  uploadLimitBytes: number;
}

export interface DescribeJob extends JobBase {
  command: 'describe';
  options: DescribeOptions;
  /** Up to 4 images, described one after another. */
  images: ImageSource[];
}

export interface ImagineJob extends JobBase {
  command: 'imagine';
  /** The options as the user gave them; the result message shows this negative prompt. */
  options: ImagineOptions;
  /** The negative prompt sent to the model after the guild's prompt policy (safety terms added). */
  sentNegativePrompt?: string;
}

/**
 * A job as plain data, so that a queue can store it and any process can perform it later: everything
 * needed to run it and deliver its result is in here, nothing refers to live discord.js objects.
 */
export type DiscordJob = DescribeJob | ImagineJob;
