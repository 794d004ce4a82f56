import type { Logger } from '../../src/logging/logger.js';
import type { IrisMetrics } from '../../src/metrics/IrisMetrics.js';
import { isThreadUnusable, logDiscordError } from './discordErrors.js';
import type { OutgoingMessage, ReplyTarget } from './replyTarget.js';

/**
 * Posts into a thread, and moves to `fallback` for good once the thread refuses a message (locked,
 * archived, deleted, or permissions lost). A message already in the thread that can no longer be
 * edited is posted again in the fallback, and its later edits go there.
 */
export class ThreadWithFallback implements ReplyTarget {
  private usingFallback = false;
  /** Ids of thread messages re-posted in the fallback, by thread message id. */
  private readonly moved = new Map<string, string>();
  private readonly postedInFallback = new Set<string>();

  constructor(
    private readonly thread: ReplyTarget,
    private readonly fallback: ReplyTarget,
    private readonly logger: Logger,
    private readonly metrics: IrisMetrics,
    /** Posted in the fallback before the first moved message, saying why the thread was left. */
    private readonly notice: string,
  ) {}

  get fellBack(): boolean {
    return this.usingFallback;
  }

  private async switchOver(error: unknown): Promise<void> {
    logDiscordError(this.metrics, this.logger, error, 'post result in thread');
    this.usingFallback = true;
    await this.fallback.send({ content: this.notice });
  }

  async send(message: OutgoingMessage): Promise<string> {
    if (!this.usingFallback) {
      try {
        return await this.thread.send(message);
      } catch (error) {
        if (!isThreadUnusable(error)) throw error;
        await this.switchOver(error);
      }
    }
    const id = await this.fallback.send(message);
    this.postedInFallback.add(id);
    return id;
  }

  async edit(messageId: string, message: OutgoingMessage): Promise<void> {
    if (this.postedInFallback.has(messageId)) return this.fallback.edit(messageId, message);
    const movedId = this.moved.get(messageId);
    if (movedId !== undefined) return this.fallback.edit(movedId, message);
    if (!this.usingFallback) {
      try {
        return await this.thread.edit(messageId, message);
      } catch (error) {
        if (!isThreadUnusable(error)) throw error;
        await this.switchOver(error);
      }
    }
    this.moved.set(messageId, await this.fallback.send(message));
  }
}
