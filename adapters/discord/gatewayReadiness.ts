import { type Client, Status } from 'discord.js';
import type { ReadinessCheck } from '../../src/health/ReadinessChecks.js';

/**
 * Readiness of the Discord gateway. Unsharded: this client's connection is ready. In a shard process
 * (`npm run start:sharded`): every shard's connection is ready, asked of the other shard processes
 * through the ShardingManager, so any one shard's /readyz covers the whole bot. While the manager is
 * still starting shards, or one is being restarted, the question fails and so does the check.
 */
export function gatewayReadiness(client: Client<true>): ReadinessCheck {
  return async () => {
    if (client.shard === null) {
      const ok = client.ws.status === Status.Ready;
      return { ok, detail: ok ? 'gateway connected' : `gateway ${Status[client.ws.status] ?? 'not ready'}` };
    }
    const statuses = (await client.shard.fetchClientValues('ws.status')) as number[];
    const waiting = statuses.flatMap((status, shard) => (status === Status.Ready ? [] : [shard]));
    return waiting.length === 0
      ? { ok: true, detail: `all ${statuses.length} shards connected` }
      : { ok: false, detail: `shard ${waiting.join(', ')} of ${statuses.length} not connected` };
  };
}
