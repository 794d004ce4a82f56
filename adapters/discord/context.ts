import type { REST } from 'discord.js';
import type { IrisCore } from '../../src/core/createCore.js';
import type { JobSystem } from '../../src/queue/createJobSystem.js';
import type { UpdatePacer } from '../../src/stream/UpdatePacer.js';
import type { AnchorEdits } from './anchorEdits.js';
import type { ConversationStore } from './conversations.js';
import type { RetryStore } from './retryStore.js';

/** Discord-specific settings of a running adapter. */
export interface DiscordSettings {
  /** Shortest time between two edits of a streamed message, in milliseconds. */
  editIntervalMs: number;
  /** Shortest time between two queue-position edits of an anchor, in milliseconds. */
  anchorUpdateMs: number;
  /** Status edits of anchors (queue position, working) per second, for all anchors of the process together. */
  anchorEditsPerSecond: number;
  /** Edits of streamed answers per second, for all streams of the process together. */
  streamEditsPerSecond: number;
  /** Hosts attachments may be downloaded from. */
  cdnHosts: readonly string[];
  /** How long an interaction token stays valid, in milliseconds; Discord fixes this at 15 minutes. */
  interactionTtlMs: number;
  /** Whether every message in a describe thread is a follow-up question, not only those that mention the bot. */
  messageContent: boolean;
}

/** What handlers and jobs share: the core, the REST client and the adapter's settings and state. */
export interface DiscordContext {
  core: IrisCore;
  /** Limits, settings and the durable queue, shared with the other platforms of this process. */
  jobs: JobSystem;
  rest: REST;
  botUserId: string;
  settings: DiscordSettings;
  conversations: ConversationStore;
  retries: RetryStore;
  anchorEdits: AnchorEdits;
  /** Paces streamed-answer edits across all jobs, so new answers' first messages go out at once. */
  streamPacer: UpdatePacer;
  /** False once the adapter stopped taking work; jobs the queue starts after that are reported interrupted. */
  accepting(): boolean;
}
