/**
 * `pnpm gw <command>`: the headless command line. Exit codes: 0 success, 1 the input is bad (e.g. a
 * broken graph), 2 usage errors. Never prints a stack trace for bad input.
 */
import { runCommand } from './run';
import { validateCommand } from './validate';

const USAGE = `Usage: pnpm gw <command> [options]

Commands:
  validate [--json] <file>   Check a graph document; exit 1 when it has errors
  run <file> [--input k=v ...] [--provider id] [--json]
                             Run a graph headless (same engine and stores as the server)
  serve                      Start the server (same as npm start, without the build)
`;

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'validate':
      return validateCommand(rest, io);
    case 'run':
      return runCommand(rest, io);
    case 'serve':
      await import('../main');
      return new Promise<number>(() => {});
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

const io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    io.err(`gw: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
