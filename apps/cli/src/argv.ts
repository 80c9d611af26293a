import { type CliError, cliFail } from './errors.js';
import { findOption } from './options.js';

/** A command line read the slmgr way, ready for commander. */
export interface Translated {
  /** Arguments for commander: global flags, the option as a command, `--`, its arguments. */
  readonly argv: string[];
  /** The option named, without its prefix, lower case (empty for bare --help / --version). */
  readonly option: string;
}

const VALUE_FLAGS = new Set(['--store']);
const HELP = new Set(['/?', '-?', '-h']);
const VERSION = '-V';

/**
 * Reads `[MACHINE [USER PASSWORD]] /option args` with `/` or `-` and any case, keeping
 * `--flags` for commander. Arguments after the option go behind `--`, so `/sai -5` reaches the
 * interval check instead of looking like a flag.
 */
export function translate(
  argv: readonly string[],
): { ok: true; value: Translated } | { ok: false; error: CliError } {
  const split = splitFlags(argv);
  if (!split.ok) return split;
  const { flags } = split.value;
  // Spaces around a word are a quoting slip (" /dli"), not part of the option.
  const words = split.value.words.map((word) => word.trim());
  if (words.length === 1 && words[0] === VERSION) {
    return { ok: true, value: { argv: [...flags, '--version'], option: '' } };
  }
  const at = words.findIndex((word) => /^[/-][^-]/.test(word) || HELP.has(word));
  if (at === -1) return misprefixed([...flags, ...words]) ?? bare(flags, words);
  const leading = words.slice(0, at);
  const word = words[at] ?? '';
  if (HELP.has(word)) return { ok: true, value: { argv: [...flags, '--help'], option: '' } };
  const option = word.slice(1).toLowerCase();
  const place = checkLeading(leading);
  if (place !== null) return place;
  if (findOption(option) === undefined) return unknown(word);
  return { ok: true, value: { argv: [...flags, option, '--', ...words.slice(at + 1)], option } };
}

// Flags are case-insensitive like the options (--JSON is --json); a flag that takes a value
// must have one.
function splitFlags(
  argv: readonly string[],
): { ok: true; value: { flags: string[]; words: string[] } } | { ok: false; error: CliError } {
  const flags: string[] = [];
  const words: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--') || arg === '--') {
      words.push(arg);
      continue;
    }
    const [name = '', ...value] = arg.split('=');
    const flag = name.toLowerCase();
    if (!VALUE_FLAGS.has(flag)) flags.push(flag);
    else if (value.length > 0) flags.push(flag, value.join('='));
    else if (i + 1 < argv.length) flags.push(flag, argv[++i] ?? '');
    else return cliFail('usage.invalid_argument', `${flag} needs a path`, { flag });
  }
  return { ok: true, value: { flags, words } };
}

function bare(flags: string[], words: string[]) {
  const wantsInfo = flags.some((flag) => flag === '--help' || flag === '--version');
  if (wantsInfo && words.length === 0)
    return { ok: true as const, value: { argv: flags, option: '' } };
  return cliFail(
    'usage.no_option',
    'no option given: name one, as in slmgr /dli (slmgr --help lists them)',
  );
}

function checkLeading(leading: string[]) {
  if (leading.length === 0) return null;
  if (leading.length === 2) {
    return cliFail(
      'usage.invalid_combination',
      `"${leading[0]} ${leading[1]}" is an invalid combination: give a machine alone, or a machine, a user and a password`,
    );
  }
  // As in slmgr.vbs, "." names this machine.
  if (leading.length === 1 && leading[0] === '.') return null;
  if (leading.length === 1 || leading.length === 3) {
    return cliFail(
      'cli.not_available',
      `managing another machine (${leading[0]}) is not available yet: run slmgr on that machine`,
      { machine: leading[0] ?? '' },
    );
  }
  return cliFail(
    'usage.extra_argument',
    `unexpected words before the option: ${leading.slice(3).join(' ')}`,
  );
}

function unknown(word: string) {
  const name = /^[/-]([a-z-]+)[\s:=]/i.exec(word)?.[1]?.toLowerCase() ?? '';
  const hint =
    findOption(name) === undefined
      ? 'slmgr --help lists the options'
      : `give its arguments as separate words, as in slmgr /${name} ARGUMENT`;
  return cliFail('usage.unknown_option', `unknown option ${word}: ${hint}`, { option: word });
}

// What people type for an option by habit or by a word processor's autocorrect: `--dli`, an em
// or en dash for the hyphen, or a Windows path's backslash.
const WRONG_PREFIX = /^(?:--|[\u2012-\u2015\u2212]|\\)([a-z][a-z-]*)$/i;

/** An option written with a prefix slmgr does not read, named with the right one. */
function misprefixed(args: readonly string[]) {
  for (const arg of args) {
    const name = WRONG_PREFIX.exec(arg)?.[1]?.toLowerCase();
    if (name === undefined || findOption(name) === undefined) continue;
    return cliFail(
      'usage.unknown_option',
      `unknown option ${arg}; slmgr options start with / or - (did you mean /${name}?)`,
      { option: arg },
    );
  }
  return null;
}
