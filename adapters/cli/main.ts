import '../requireNode.js';
import { parseArgs } from 'node:util';
import { loadConfig, secretValues } from '../../src/config/load.js';
import { createCore } from '../../src/core/createCore.js';
import { createLogger } from '../../src/logging/logger.js';
import { describeCommand } from './describeCommand.js';
import { doctorCommand } from './doctorCommand.js';
import { errorLine } from './errorLine.js';
import { imagineCommand } from './imagineCommand.js';
import { usage } from './usage.js';

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mode: { type: 'string' },
      question: { type: 'string' },
      negative: { type: 'string' },
      size: { type: 'string' },
      steps: { type: 'string' },
      guidance: { type: 'string' },
      seed: { type: 'string' },
      count: { type: 'string' },
      out: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  const streams = { stdout: process.stdout, stderr: process.stderr };

  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(`${usage}\n`);
    return command === undefined && !values.help ? 2 : 0;
  }

  const config = loadConfig();
  // The terminal is for the answer; log lines go to stderr and only when LOG_LEVEL asks for them.
  const logger = createLogger({
    level: process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn',
    secrets: secretValues(config),
    destination: process.stderr,
  });
  const core = createCore(config, logger);

  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());

  switch (command) {
    case 'describe': {
      const file = rest[0];
      if (file === undefined) throw new Error('describe needs an image file: iris describe <image-file>');
      return describeCommand(
        core,
        file,
        { mode: values.mode, question: values.question },
        streams,
        controller.signal,
      );
    }
    case 'imagine': {
      const prompt = rest.join(' ');
      return imagineCommand(
        core,
        {
          prompt,
          negative: values.negative,
          size: values.size,
          steps: values.steps,
          guidance: values.guidance,
          seed: values.seed,
          count: values.count,
          out: values.out,
        },
        streams,
        controller.signal,
      );
    }
    case 'doctor':
      return doctorCommand(core, streams);
    default:
      throw new Error(`unknown command "${command}". Run iris --help for the commands.`);
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${errorLine(error)}\n`);
  if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace')
    process.stderr.write(`${(error as Error).stack}\n`);
  process.exitCode = 1;
}
