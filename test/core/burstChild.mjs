// One of several processes sending a burst of /imagine requests through the compiled core to a shared
// Redis. Prints "ready" once connected, waits for "go" on stdin, then prints {"admitted":N,"refused":M}.
import { createInterface } from 'node:readline';
import { loadConfig } from '../../dist/src/config/load.js';
import { createLogger } from '../../dist/src/logging/logger.js';
import { createJobSystem } from '../../dist/src/queue/createJobSystem.js';

const [redisUrl, keyPrefix, owner, requestCount] = process.argv.slice(2);
const config = loadConfig({
  env: { STORE_URL: redisUrl, STORE_KEY_PREFIX: keyPrefix, GUILD_QUEUE_CAP: '1000', LOG_LEVEL: 'silent' },
});
const system = await createJobSystem(config, createLogger({ level: 'silent', pretty: false }), { owner });
if (!system.health.ok) {
  process.stdout.write(`${JSON.stringify({ error: system.health.error.message })}\n`);
  process.exit(1);
}
// Jobs stay queued: this test counts admissions only.
system.queue.register('discord', { run: () => new Promise(() => {}), resume: async () => 'interrupted' });
system.queue.close();

process.stdout.write('ready\n');
const input = createInterface({ input: process.stdin });
for await (const line of input) {
  if (line.trim() !== 'go') continue;
  const results = await Promise.all(
    Array.from({ length: Number(requestCount) }, (_, index) =>
      system.admission.admit({
        command: 'imagine',
        platform: 'discord',
        guildId: 'burst-guild',
        channelId: 'c1',
        userId: `${owner}-user-${index}`,
        payload: { prompt: 'a lighthouse' },
      }),
    ),
  );
  const admitted = results.filter((result) => result.accepted).length;
  const reasons = [...new Set(results.flatMap((result) => (result.accepted ? [] : [result.refusal.reason])))];
  process.stdout.write(`${JSON.stringify({ admitted, refused: results.length - admitted, reasons })}\n`);
  break;
}
input.close();
await system.close();
