import { Command, CommanderError } from 'commander';
import { type Translated, translate } from './argv.js';
import type { CommandResult } from './command.js';
import { makeContext } from './context.js';
import { type CliError, cliFail } from './errors.js';
import { EXIT } from './exit-status.js';
import { HELP_AFTER } from './help.js';
import type { Io } from './io.js';
import { OPTIONS, type OptionSpec } from './options.js';
import { emit } from './output.js';
import { internalError } from './unexpected.js';
import { VERSION } from './version.js';

/** Runs one slmgr command line and returns its exit status; never exits the process itself. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const json = argv.some((arg) => arg.toLowerCase() === '--json');
  const translated = translate(argv);
  if (!translated.ok) return emit(io, json, '', translated);
  const { option } = translated.value;
  let outcome: CommandResult | null = null;
  const program = buildProgram(io, commandsFor(translated.value), (result) => {
    outcome = result;
  });
  try {
    await program.parseAsync(translated.value.argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return commanderOutcome(io, json, option, error);
    return emit(io, json, option, internalError(error));
  }
  return outcome === null ? EXIT.ok : emit(io, json, option, outcome);
}

/**
 * The options commander is told about: all of them when it may print the help, which lists them;
 * otherwise only the option named (translate has checked that it exists), which parses the same
 * and spares a start building thirty commands it does not run.
 */
function commandsFor({ argv, option }: Translated): readonly OptionSpec[] {
  const flags = argv.slice(0, Math.max(argv.indexOf('--'), 0));
  if (option === '' || flags.includes('--help') || argv.length === 0) return OPTIONS;
  return OPTIONS.filter((spec) => spec.name === option);
}

function buildProgram(
  io: Io,
  options: readonly OptionSpec[],
  done: (result: CommandResult) => void,
): Command {
  const program = new Command('slmgr')
    .description('Manage the licences of this machine, as slmgr.vbs does.')
    .version(VERSION)
    .option('--json', 'print one JSON document instead of text')
    .option('--store <path>', 'the licence store folder (default: $SLM_HOME, else /var/lib/slm)')
    .exitOverride()
    .helpCommand(false)
    .configureOutput({ writeOut: io.stdout, writeErr: () => {} })
    .configureHelp({ subcommandTerm: (cmd) => `/${cmd.name()} ${cmd.usage()}`.trim() })
    .addHelpText('after', HELP_AFTER);
  for (const spec of options) addOption(program, spec, io, done);
  return program;
}

function addOption(program: Command, spec: OptionSpec, io: Io, done: (r: CommandResult) => void) {
  program
    .command(`${spec.name} ${spec.args}`.trim())
    .description(spec.summary)
    .helpOption(false)
    .exitOverride()
    .action(async (...params: unknown[]) => {
      const command = params.at(-1) as Command;
      const ctx = makeContext(io, program.opts<{ store?: string; json?: boolean }>());
      try {
        const module = await spec.load();
        done(await module.run(ctx, command.args));
      } catch (error) {
        done(internalError(error));
      }
    });
}

function commanderOutcome(io: Io, json: boolean, option: string, error: CommanderError): number {
  if (error.exitCode === 0) return EXIT.ok;
  return emit(io, json, option, usageError(option, error));
}

function usageError(option: string, error: CommanderError): { ok: false; error: CliError } {
  const name = `/${option}`;
  const argument = /'([^']+)'/.exec(error.message)?.[1] ?? 'an argument';
  switch (error.code) {
    case 'commander.missingArgument':
      return cliFail(
        'usage.missing_argument',
        `${name} needs ${argument}: slmgr --help shows its arguments`,
        {
          option: name,
          argument,
        },
      );
    case 'commander.excessArguments':
      return cliFail(
        'usage.extra_argument',
        `${name} got more arguments than it takes: slmgr --help shows them`,
        {
          option: name,
        },
      );
    case 'commander.unknownOption':
      return cliFail(
        'usage.unknown_option',
        `${error.message.replace(/^error: /, '')}: slmgr --help lists the flags`,
      );
    case 'commander.help':
      // Commander falls back to its help when a flag swallowed the option (`/dli --store`).
      return cliFail(
        'usage.invalid_argument',
        'no option to run: a flag may lack its value (--store needs a path); slmgr --help shows the usage',
      );
    default:
      return cliFail('usage.invalid_argument', error.message.replace(/^error: /, ''));
  }
}
