import { type Client, Events } from 'discord.js';
import type { Logger } from '../../src/logging/logger.js';

/** Stops logging gateway events; call it before `client.destroy()`, whose own close is no drop. */
export type StopWatchingGateway = () => void;

interface Drop {
  /** The close code of the drop, as the shard's `close` event gave it. */
  code: number | undefined;
  /** When the connection dropped, in milliseconds since the epoch. */
  at: number;
}

/**
 * Logs the gateway connection's drops and recoveries, per shard, with the close code. discord.js
 * 14.28 emits `ShardDisconnect` only for close codes it does not reconnect after (such as 4004, an
 * invalid token). Every other close emits the shard's `close` event (with the code) and then
 * `ShardReconnecting`, and the connection comes back with `ShardResume` (session resumed) or
 * `ShardReady` (new session). A drop logs one warning however many attempts the reconnect takes,
 * and the recovery one info line. Attach it before `client.login()`: the shards' `close` listeners
 * are added once `login()` has created the shards, by calling the returned `attachShards`.
 */
export function watchGateway(
  client: Client,
  logger: Logger,
): { attachShards(): void; stop: StopWatchingGateway } {
  const drops = new Map<number, Drop>();
  const lastCloseCodes = new Map<number, number>();
  let watching = true;

  client.on(Events.ShardReconnecting, (shard) => {
    if (!watching) return;
    const code = lastCloseCodes.get(shard);
    if (drops.has(shard)) {
      logger.debug({ shard, code }, 'gateway reconnect attempt closed; discord.js tries again');
      return;
    }
    drops.set(shard, { code, at: Date.now() });
    logger.warn({ shard, code }, 'gateway connection dropped; discord.js is reconnecting');
  });

  const recovered = (shard: number, how: 'resumed' | 'new session', extra: Record<string, unknown>) => {
    const drop = drops.get(shard);
    if (!watching || drop === undefined) return;
    drops.delete(shard);
    logger.info(
      { shard, code: drop.code, how, downMs: Date.now() - drop.at, ...extra },
      'gateway connection recovered',
    );
  };
  client.on(Events.ShardResume, (shard, replayedEvents) => recovered(shard, 'resumed', { replayedEvents }));
  client.on(Events.ShardReady, (shard) => recovered(shard, 'new session', {}));

  client.on(Events.ShardDisconnect, (event, shard) => {
    if (!watching) return;
    drops.delete(shard);
    logger.error(
      { shard, code: event.code },
      'gateway connection closed for good: discord.js does not reconnect after this close code',
    );
  });
  client.on(Events.ShardError, (error, shard) => {
    if (watching) logger.warn({ err: error, shard }, 'gateway connection error');
  });

  return {
    attachShards() {
      for (const shard of client.ws.shards.values()) {
        shard.on('close', (event) => lastCloseCodes.set(shard.id, event.code));
      }
    },
    stop() {
      watching = false;
    },
  };
}
