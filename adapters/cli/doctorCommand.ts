import type { IrisCore } from '../../src/core/createCore.js';
import { runDoctor } from '../../src/core/doctor.js';
import type { CliStreams } from './describeCommand.js';

/** Prints each check with its fix; returns 0 only when every check passed. */
export async function doctorCommand(core: IrisCore, streams: CliStreams): Promise<number> {
  streams.stdout.write('ok  configuration: all settings are valid\n');
  const results = await runDoctor(core);
  for (const result of results) {
    streams.stdout.write(`${result.ok ? 'ok ' : 'ERR'} ${result.name}: ${result.detail}\n`);
    if (!result.ok && result.fix) streams.stdout.write(`    fix: ${result.fix}\n`);
  }
  return results.every((result) => result.ok) ? 0 : 1;
}
