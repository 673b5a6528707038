import 'dotenv/config';
import { parseArgs } from 'node:util';
import { ConfigError, isConsoleOnly, loadConfig } from '../config.js';
import { createLogger } from '../log.js';
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
  switch (sub) {
    case 'start':
      if (isConsoleOnly(config)) return runChat({ config, log, input: process.stdin, print, demo: rest.includes('--demo'), attach: attachScheduler });
      {
        const { runPlatforms } = await import('./platforms.js');
        return runPlatforms({ config, log, print });
      }
    case 'chat': {
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean' } }, allowPositionals: false, strict: false });
      return runChat({ config, log, input: process.stdin, print, demo: Boolean(values.demo), attach: attachScheduler });
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
