// `relay`: finds the command named by the first words, reads its flags, runs it, and turns every
// failure into an exit code: 1 for a failed call (status name and message on stderr), 2 for a
// mistake on the command line.
// Nothing here loads @grpc/grpc-js before the command does (see cli/commands.ts).
import type { ServiceError } from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { commandHelp, globalFlags, parseInput, UsageError, type Command } from './command.ts';
import { aliases, commands, groups } from './commands.ts';

const words = process.argv.slice(2);
const json = words.includes('--json');
const wantsHelp = (rest: readonly string[]) => rest.includes('--help') || rest.includes('-h');

async function overview(): Promise<string> {
  const rows: [string, string][] = [];
  for (const [path, load] of Object.entries(commands)) {
    const group = path.split(' ')[0]!;
    if (groups[group] === undefined) {
      const command = await load();
      rows.push([`${path} ${command.args}`.trimEnd(), command.summary]);
    } else if (!rows.some(([left]) => left.startsWith(`${group} `))) {
      rows.push([`${group} ${subcommands(group).join('|')}`, groups[group]!]);
    }
  }
  const width = Math.max(...rows.map(([left]) => left.length));
  const flags = Object.keys(globalFlags).map((name) => `--${name}`).join(' ');
  return [
    'relay: publish, subscribe and manage a Relay gateway from the command line',
    '',
    'Usage: relay COMMAND [ARGS] [flags]',
    '',
    'Commands:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    '',
    `Global flags (every command): ${flags}`,
    "Run 'relay COMMAND --help' for a command's arguments and flags.",
    '',
  ].join('\n');
}

function subcommands(group: string): string[] {
  return Object.keys(commands)
    .filter((path) => path.startsWith(`${group} `))
    .map((path) => path.slice(group.length + 1));
}

async function groupHelp(group: string): Promise<string> {
  const rows: [string, string][] = [];
  for (const name of subcommands(group)) {
    const command = await commands[`${group} ${name}`]!();
    rows.push([`relay ${command.path} ${command.args}`.trimEnd(), command.summary]);
  }
  const width = Math.max(...rows.map(([left]) => left.length));
  const lines = rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
  return `${groups[group]}\n\nUsage:\n${lines.join('\n')}\n\nRun 'relay ${group} SUBCOMMAND --help' for its flags.\n`;
}

/** The command the words name, and the words left for it. */
async function resolve(): Promise<{ path: string; rest: string[] } | { help: string; exitCode: number }> {
  const first = aliases[words[0] ?? ''] ?? words[0];
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') return { help: '', exitCode: first ? 0 : 2 };
  if (groups[first] !== undefined) {
    const second = words[1];
    if (second === undefined || second.startsWith('-')) return { help: await groupHelp(first), exitCode: wantsHelp(words) ? 0 : 2 };
    if (commands[`${first} ${second}`] === undefined) throw new UsageError(`unknown command "${first} ${second}"; one of: ${subcommands(first).join(', ')}`);
    return { path: `${first} ${second}`, rest: words.slice(2) };
  }
  if (commands[first] === undefined) throw new UsageError(`unknown command ${JSON.stringify(first)}`);
  return { path: first, rest: words.slice(1) };
}

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as ServiceError).code === 'number' && 'details' in error;
}

/** One line on stderr (a JSON document with --json) and the exit code. */
function fail(code: string, message: string, exitCode: number, text = `${code}: ${message}\n`): void {
  process.stderr.write(json ? JSON.stringify({ error: { code, message } }) + '\n' : text);
  process.exitCode = exitCode;
}

// A reader that went away (`relay sub ... | head`) ends the command quietly, as in other Unix tools.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

// grpc-js passes an IP address of --addr as the TLS server name, which Node deprecates (DEP0123):
// noise on stderr for every TLS call to 127.0.0.1. Every other warning is printed as Node would.
process.removeAllListeners('warning');
process.on('warning', (warning: Error & { code?: string }) => {
  if (warning.code !== 'DEP0123') process.stderr.write(`(node) ${warning.name}: ${warning.message}\n`);
});

let command: Command | undefined;
try {
  if (words[0] === '--version') {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`relay ${version}\n`);
  } else {
    const target = await resolve();
    if ('help' in target) {
      const text = target.help || (await overview());
      (target.exitCode === 0 ? process.stdout : process.stderr).write(text);
      process.exitCode = target.exitCode;
    } else {
      command = await commands[target.path]!();
      const input = parseInput(command, target.rest, process.env);
      if (input.boolean('help')) process.stdout.write(commandHelp(command));
      else await command.run(input);
    }
  }
} catch (error) {
  if (error instanceof UsageError) {
    const help = command ? `relay ${command.path} --help` : 'relay --help';
    fail('USAGE', error.message, 2, `relay: ${error.message}\nRun '${help}' for usage.\n`);
  } else if (isServiceError(error)) {
    const { status } = await import('@grpc/grpc-js');
    const name = (status as unknown as Record<number, string>)[error.code] ?? `STATUS_${error.code}`;
    // grpc-js ends connection errors with an empty "Resolution note: ".
    fail(name, (error.details || error.message).replace(/\s*Resolution note:\s*$/, ''), 1);
  } else {
    fail('ERROR', error instanceof Error ? error.message : String(error), 1);
  }
}
