import type { Keyv } from 'keyv';
import type { VisionMessage } from '../../src/backends/ollama/OllamaVision.js';
import type { NormalizedImage } from '../../src/image/normalizeImage.js';
import type { Logger } from '../../src/logging/logger.js';
import { storeUnavailable } from '../../src/store/storeUnavailable.js';

/** A describe thread's image and its turns so far, the context of a follow-up question. */
export interface Conversation {
  image: NormalizedImage;
  history: VisionMessage[];
  userId: string;
}

/** A conversation as stored: the image bytes as base64, so any Keyv backend keeps them intact. */
interface StoredConversation {
  image: Omit<NormalizedImage, 'data'> & { data: string };
  history: VisionMessage[];
  userId: string;
}

// Turns kept per thread; older ones are dropped, the first (with the image) always stays.
const MAX_TURNS = 12;
// A conversation lives 7 days (in milliseconds) after its last turn, long enough for a thread that
// was archived after a day of silence and reopened; each turn restarts the clock.
const CONVERSATION_TTL_MS = 7 * 24 * 60 * 60_000;

/**
 * Conversations by thread id in the store's `conversations` namespace, so follow-up questions in
 * threads from before a restart are still answered. About 1 MB of image per thread.
 */
export class ConversationStore {
  constructor(
    private readonly keyv: Keyv,
    private readonly logger: Logger,
  ) {}

  /** Returns the thread's conversation, or undefined. Throws `STORE_UNAVAILABLE`. */
  async get(threadId: string): Promise<Conversation | undefined> {
    let stored: StoredConversation | undefined;
    try {
      stored = await this.keyv.get<StoredConversation>(conversationKey(threadId));
    } catch (cause) {
      throw storeUnavailable('conversation read', cause);
    }
    if (stored === undefined) return undefined;
    return { ...stored, image: { ...stored.image, data: Buffer.from(stored.image.data, 'base64') } };
  }

  /** Saves the thread's conversation, keeping the first turn and the latest ones. Logs and skips on store failure. */
  async set(threadId: string, conversation: Conversation): Promise<void> {
    const history =
      conversation.history.length > MAX_TURNS
        ? [conversation.history[0] as VisionMessage, ...conversation.history.slice(-(MAX_TURNS - 1))]
        : conversation.history;
    const stored: StoredConversation = {
      ...conversation,
      history,
      image: { ...conversation.image, data: conversation.image.data.toString('base64') },
    };
    try {
      await this.keyv.set(conversationKey(threadId), stored, CONVERSATION_TTL_MS);
    } catch (error) {
      this.logger.error(
        { err: error, thread: threadId },
        'Could not save the conversation; follow-up questions in this thread will not be answered',
      );
    }
  }
}

function conversationKey(threadId: string): string {
  return `discord:${threadId}`;
}
