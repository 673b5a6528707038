import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { cliText } from '../text/cli.js';

export interface ToolDeps {
  config: Readonly<Config>;
  log: Logger;
  print: (line: string) => void;
}

/** Operator subcommands (remind, roster, webhook, export). */
export async function runTool(sub: string, _args: string[], deps: ToolDeps): Promise<number> {
  deps.print(cliText.unknownCommand({ typed: sub }));
  return 2;
}
