import { splitMessage } from './splitMessage.js';

/** One platform's way to show a reply: post a new message, or replace the text of one it posted. */
export interface MessageSink<Ref> {
  send(text: string): Promise<Ref>;
  edit(ref: Ref, text: string): Promise<void>;
}

export interface StreamingReplyOptions {
  /** Shortest time between two updates after the first, in milliseconds. */
  intervalMs: number;
  /** Longest message the platform accepts, in characters; longer text continues in a new message. */
  maxLength: number;
  /** Called when an intermediate update fails; the next update carries the latest text anyway. */
  onError?: (error: unknown) => void;
  /**
   * Awaited before every update after the first message, so several replies can share one rate
   * (see UpdatePacer). The text is taken after it resolves, so the update carries the latest text.
   */
  beforeUpdate?: () => Promise<void>;
}

/**
 * Shows text that arrives in pieces as one or more platform messages.
 *
 * The first text goes out at once. After that at most one update runs at a time, and updates start at
 * most once per interval. Text that arrives meanwhile is coalesced, so a slow or rate-limited platform
 * call delays the next update instead of queueing a backlog of stale ones. `finish()` writes the
 * complete text in one last update. Empty text is never sent.
 */
export class StreamingReply<Ref> {
  private text = '';
  private readonly posted: Array<{ ref: Ref; text: string }> = [];
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastUpdateStartedAt = Number.NEGATIVE_INFINITY;
  private finished = false;
  /** Platform calls made so far: sends and edits. */
  updates = 0;

  constructor(
    private readonly sink: MessageSink<Ref>,
    private readonly options: StreamingReplyOptions,
  ) {}

  /** References to the messages posted so far, in order. */
  get messages(): Ref[] {
    return this.posted.map((message) => message.ref);
  }

  get currentText(): string {
    return this.text;
  }

  append(delta: string): void {
    if (this.finished || delta === '') return;
    this.text += delta;
    this.schedule();
  }

  private schedule(): void {
    if (this.inFlight !== undefined || this.timer !== undefined) return;
    const wait = this.lastUpdateStartedAt + this.options.intervalMs - performance.now();
    if (wait <= 0 || this.posted.length === 0) {
      this.startUpdate();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startUpdate();
    }, wait);
    this.timer.unref();
  }

  private startUpdate(): void {
    if (this.finished) return;
    this.inFlight = this.render()
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.inFlight = undefined;
        if (!this.finished && this.isDirty()) this.schedule();
      });
  }

  private isDirty(): boolean {
    const chunks = splitMessage(this.text, this.options.maxLength);
    return (
      chunks.length !== this.posted.length ||
      chunks.some((chunk, index) => this.posted[index]?.text !== chunk)
    );
  }

  private async render(): Promise<void> {
    if (this.posted.length > 0 && this.options.beforeUpdate) await this.options.beforeUpdate();
    this.lastUpdateStartedAt = performance.now();
    const chunks = splitMessage(this.text, this.options.maxLength);
    for (const [index, chunk] of chunks.entries()) {
      const existing = this.posted[index];
      if (existing === undefined) {
        this.updates++;
        const ref = await this.sink.send(chunk);
        this.posted.push({ ref, text: chunk });
      } else if (existing.text !== chunk) {
        this.updates++;
        await this.sink.edit(existing.ref, chunk);
        existing.text = chunk;
      }
    }
  }

  /**
   * Waits for the update in flight, then writes `finalText` (default: the text so far) in one last
   * update. Rejects when that last update fails, so the caller can report it.
   */
  async finish(finalText?: string): Promise<Ref[]> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.finished = true;
    if (this.inFlight !== undefined) await this.inFlight;
    if (finalText !== undefined) this.text = finalText;
    if (this.isDirty()) await this.render();
    return this.messages;
  }
}
