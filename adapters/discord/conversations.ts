import type { VisionMessage } from '../../src/backends/ollama/OllamaVision.js';
import type { NormalizedImage } from '../../src/image/normalizeImage.js';

/** A describe thread's image and its turns so far, the context of a follow-up question. */
export interface Conversation {
  image: NormalizedImage;
  history: VisionMessage[];
  userId: string;
}

// Threads remembered at most; the oldest is forgotten first. About 1 MB of image each.
const MAX_CONVERSATIONS = 200;
// Turns kept per thread; older ones are dropped, the first (with the image) always stays.
const MAX_TURNS = 12;

/**
 * Conversations by thread id, in memory.
 * NOTE: follow-ups in threads from before a restart are not answered, because nothing here is persisted.
 */
export class ConversationStore {
  private readonly byThread = new Map<string, Conversation>();

  get(threadId: string): Conversation | undefined {
    return this.byThread.get(threadId);
  }

  set(threadId: string, conversation: Conversation): void {
    this.byThread.delete(threadId);
    const history =
      conversation.history.length > MAX_TURNS
        ? [conversation.history[0] as VisionMessage, ...conversation.history.slice(-(MAX_TURNS - 1))]
        : conversation.history;
    this.byThread.set(threadId, { ...conversation, history });
    if (this.byThread.size > MAX_CONVERSATIONS) {
      const oldest = this.byThread.keys().next().value;
      if (oldest !== undefined) this.byThread.delete(oldest);
    }
  }
}
