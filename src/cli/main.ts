import 'dotenv/config';
import { parseArgs } from 'node:util';
import { ConfigError, isConsoleOnly, loadConfig, type Config } from '../config.js';
import { createLogger, type Logger } from '../log.js';
import { cliText } from '../text/cli.js';
import { attachScheduler, runChat } from './chat.js';

/**
 * The `shenghuohui` command line. `start` runs the bot (the terminal chat when no platform is
 * configured), `chat` opens the terminal chat; later subcommands: remind, roster, webhook, export.
 */
export async function main(argv: string[]): Promise<number> {
  const [sub = 'start', ...rest] = argv;
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  // In the terminal chat, logs go to a file (or stderr at warn) so they do not mix with the chat.
  const log = createLogger(sub === 'chat' || (sub === 'start' && isConsoleOnly(config)) ? (config.LOG_FILE ? config.LOG_LEVEL : 'warn') : config.LOG_LEVEL, config.LOG_FILE);
  const print = (line: string) => process.stdout.write(`${line}\n`);
  try {
    return await run(sub, rest, config, log, print);
  } catch (err) {
    // Whatever went wrong is in the log (without secrets: the logger redacts them); the operator gets one line, not a stack.
    log.error({ err, sub }, 'cli failed');
    process.stderr.write(`${cliText.failed({ sub })}\n`);
    return 1;
  }
}

async function run(sub: string, rest: string[], config: Config, log: Logger, print: (line: string) => void): Promise<number> {
  switch (sub) {
    case 'start':
      if (isConsoleOnly(config)) return runChat({ config, log, input: process.stdin, print, demo: rest.includes('--demo'), health: rest.includes('--health'), attach: attachScheduler });
      {
        const { runPlatforms } = await import('./platforms.js');
        return runPlatforms({ config, log, print });
      }
    case 'chat': {
      const { values, positionals } = parseArgs({ args: rest, options: { demo: { type: 'boolean' }, health: { type: 'boolean' } }, allowPositionals: true, strict: false });
      if (positionals.length > 0) {
        print(cliText.chatUsage({ typed: positionals[0]! }));
        return 2;
      }
      return runChat({ config, log, input: process.stdin, print, demo: Boolean(values.demo), health: Boolean(values.health), attach: attachScheduler });
    }
    case 'help':
    case '--help':
    case '-h':
      print(cliText.usage());
      return 0;
    default: {
      const { runTool } = await import('./tools.js');
      return runTool(sub, rest, { config, log, print });
    }
  }
}
