import { type Client, Status } from 'discord.js';
import type { ReadinessCheck } from '../../src/health/ReadinessChecks.js';

/**
 * Readiness of the Discord gateway. Unsharded: every shard connection of this client is ready, so a
 * dropped connection fails the check until discord.js has resumed or re-identified (the client's own
 * `ws.status` stays Ready through a drop in discord.js 14.28). In a shard process
 * (`npm run start:sharded`): every shard's connection is ready, asked of the other shard processes
 * through the ShardingManager, so any one shard's /readyz covers the whole bot. While the manager is
 * still starting shards, or one is being restarted, the question fails and so does the check.
 */
export function gatewayReadiness(client: Client<true>): ReadinessCheck {
  return async () => {
    if (client.shard === null) {
      if (client.ws.status !== Status.Ready) {
        return { ok: false, detail: `gateway ${Status[client.ws.status] ?? 'not ready'}` };
      }
      const waiting = client.ws.shards.filter((shard) => shard.status !== Status.Ready);
      if (waiting.size === 0) return { ok: true, detail: 'gateway connected' };
      const shards = waiting.map((shard) => `shard ${shard.id} ${Status[shard.status] ?? 'not ready'}`);
      return { ok: false, detail: `gateway reconnecting: ${shards.join(', ')}` };
    }
    // One list per shard process: its client's status, then each of its shard connections'.
    const statuses = await client.shard.broadcastEval((other) => [
      other.ws.status,
      ...other.ws.shards.map((shard) => shard.status),
    ]);
    const waiting = statuses.flatMap((list, shard) =>
      list.every((status) => status === Status.Ready) ? [] : [shard],
    );
    return waiting.length === 0
      ? { ok: true, detail: `all ${statuses.length} shards connected` }
      : { ok: false, detail: `shard ${waiting.join(', ')} of ${statuses.length} not connected` };
  };
}
