import { UpdatePacer } from '../../src/stream/UpdatePacer.js';

/**
 * One update pacer per workspace. Slack limits `chat.update` per app and workspace (Web API Tier 3,
 * about 50 a minute), so every answer streaming in one workspace shares that workspace's rate; the
 * first message of each answer goes through `chat.postMessage` and does not wait.
 */
export class WorkspacePacers {
  readonly #pacers = new Map<string, UpdatePacer>();

  /** @param updatesPerMinute - `chat.update` calls per minute for all answers in one workspace. */
  constructor(private readonly updatesPerMinute: number) {}

  /** Returns the workspace's pacer, created on first use. */
  for(teamId: string): UpdatePacer {
    let pacer = this.#pacers.get(teamId);
    if (pacer === undefined) {
      pacer = new UpdatePacer(this.updatesPerMinute / 60);
      this.#pacers.set(teamId, pacer);
    }
    return pacer;
  }

  /** Releases every waiting update. */
  close(): void {
    for (const pacer of this.#pacers.values()) pacer.close();
  }
}
