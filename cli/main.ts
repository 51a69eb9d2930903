/**
 * The `sluice` command.
 *   sluice server [--listeners URL] [--kafka-listener HOST:PORT] [--data-dir DIR] [--config FILE]
 *   sluice conformance [--dir DIR] [--json FILE] [--filter REGEX] [--update]
 *   sluice bench [--quick] [--json FILE] [--only W1,W2] [--runs N] [--profile DIR]
 *   sluice [cli] [URL]       the REPL (default)
 */
import { parseArgs } from './args.js';
import { serverCommand } from './commands/server.js';
import { conformanceCommand } from './commands/conformance.js';
import { benchCommand } from './commands/bench.js';

const argv = process.argv.slice(2);
const sub = argv[0] && !argv[0].startsWith('-') && !argv[0].startsWith('http') ? argv[0] : 'cli';
const rest = sub === argv[0] ? argv.slice(1) : argv;
const args = parseArgs(rest, new Set(['update', 'quick', 'worker']));

const commands: Record<string, () => Promise<number | undefined>> = {
  server: () => serverCommand(args),
  conformance: () => conformanceCommand(args),
  bench: () => benchCommand(args),
};

const run = commands[sub];
if (!run) {
  console.error(`Unknown command: ${sub}\nUsage: sluice [server|conformance|bench|cli] [options]`);
  process.exit(2);
}
const code = await run();
if (code !== undefined) process.exitCode = code;
