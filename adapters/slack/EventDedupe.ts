import type { Keyv } from 'keyv';

/**
 * How long a delivered event is remembered, in milliseconds. Slack retries an unacknowledged event
 * three times within about five minutes (after about 1 s, 1 min and 5 min); ten minutes covers
 * every retry with room to spare.
 */
export const EVENT_DEDUPE_TTL_MS = 10 * 60 * 1000;

/** The identities of one delivery: Slack's event id, and the message it is about. */
export interface EventIdentity {
  eventId: string | undefined;
  channelId: string | undefined;
  messageTs: string | undefined;
}

/**
 * Remembers which events were handled, so a retried event (same event id) and a second event about the
 * same message (same channel and timestamp, for example `app_mention` and `message.im` for one DM) are
 * answered once. An event first seen on a retry is still answered, because only the identities count,
 * never the retry number.
 */
export class EventDedupe {
  // Claims made in this process whose store writes may not have finished yet.
  private readonly pending = new Set<string>();

  constructor(
    private readonly store: Keyv<true>,
    private readonly ttlMs = EVENT_DEDUPE_TTL_MS,
  ) {}

  /** Returns true when this is the first delivery of the event, and marks it as handled. */
  async claim(identity: EventIdentity): Promise<boolean> {
    const keys: string[] = [];
    if (identity.eventId) keys.push(`event:${identity.eventId}`);
    if (identity.channelId && identity.messageTs)
      keys.push(`message:${identity.channelId}:${identity.messageTs}`);
    if (keys.length === 0) return true;
    if (keys.some((key) => this.pending.has(key))) return false;

    for (const key of keys) this.pending.add(key);
    try {
      // NOTE: get-then-set is not atomic across processes; two Iris processes sharing one store can
      // both answer an event delivered to each at the same instant.
      const seen = await Promise.all(keys.map((key) => this.store.get(key)));
      if (seen.some((value) => value !== undefined)) return false;
      await Promise.all(keys.map((key) => this.store.set(key, true, this.ttlMs)));
      return true;
    } finally {
      for (const key of keys) this.pending.delete(key);
    }
  }
}
