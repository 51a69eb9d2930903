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
import { runRepl } from './repl/repl.js';
import { flag } from './args.js';
import { benchCommand } from './commands/bench.js';

const argv = process.argv.slice(2);
const sub = argv[0] && !argv[0].startsWith('-') && !argv[0].startsWith('http') ? argv[0] : 'cli';
const rest = sub === argv[0] ? argv.slice(1) : argv;
const args = parseArgs(rest, new Set(['update', 'rest', 'verbose', 'quick', 'worker']));

const commands: Record<string, () => Promise<number | undefined>> = {
  server: () => serverCommand(args),
  conformance: () => conformanceCommand(args),
  cli: () => {
    const output = (flag(args, 'output') ?? 'TABULAR').toUpperCase() as 'TABULAR' | 'JSON';
    const variables: Record<string, string> = {};
    for (const d of [...(args.flags.get('define') ?? []), ...(args.flags.get('d') ?? [])]) {
      const i = d.indexOf('=');
      if (i > 0) variables[d.slice(0, i)] = d.slice(i + 1);
    }
    const execute = flag(args, 'execute') ?? flag(args, 'e');
    const file = flag(args, 'file') ?? flag(args, 'f');
    return runRepl({
      server: args.positionals[0] ?? 'http://localhost:8088', output, variables,
      ...(execute !== undefined ? { execute } : {}), ...(file !== undefined ? { file } : {}),
    });
  },
  bench: () => benchCommand(args),
};

const run = commands[sub];
if (!run) {
  console.error(`Unknown command: ${sub}\nUsage: sluice [server|conformance|bench|cli] [options]`);
  process.exit(2);
}
const code = await run();
if (code !== undefined) process.exitCode = code;
