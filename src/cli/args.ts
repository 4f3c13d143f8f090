import { UsageError } from './command.js';

/** What a command takes: named positionals, options with a value, and flags. */
export interface ArgsSpec {
  command: string;
  positionals: readonly string[];
  values?: readonly `--${string}`[];
  flags?: readonly `--${string}`[];
}

/** Parsed arguments: the positionals in order, each given option's last value, the flags present. */
export interface ParsedArgs {
  positionals: string[];
  values: Map<string, string>;
  flags: Set<string>;
}

/** Reads `args` by `spec`; `--name=value` and `--name value` both work. Throws `UsageError` naming the argument. */
export function parseArgs(args: readonly string[], spec: ArgsSpec): ParsedArgs {
  const values = new Set<string>(spec.values ?? []);
  const flags = new Set<string>(spec.flags ?? []);
  const help = `run ephemail ${spec.command} --help`;
  const parsed: ParsedArgs = { positionals: [], values: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [name = '', inline] = arg.split(/=(.*)/s, 2);
    if (flags.has(arg)) {
      parsed.flags.add(arg);
    } else if (values.has(name)) {
      const value = inline ?? args[++i];
      // "--subject --code" forgot the subject; reading "--code" as one would wait for the wrong mail.
      if (value === undefined || (inline === undefined && (values.has(value) || flags.has(value)))) {
        throw new UsageError(`${name} needs a value; ${help}.`);
      }
      parsed.values.set(name, value);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`${name} is not an option of this command; ${help}.`);
    } else {
      parsed.positionals.push(arg);
    }
  }
  const missing = spec.positionals[parsed.positionals.length];
  if (missing !== undefined) throw new UsageError(`${missing} is missing; ${help}.`);
  const extra = parsed.positionals[spec.positionals.length];
  if (extra !== undefined) throw new UsageError(`"${extra}" is one argument too many; ${help}.`);
  return parsed;
}

/** The one flag of `choices` given, or null; two at once are a usage error. */
export function oneOf<T extends string>(parsed: ParsedArgs, choices: readonly T[]): T | null {
  const given = choices.filter((choice) => parsed.flags.has(choice));
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} cannot go together; choose one of ${choices.join(', ')}.`);
  return given[0] ?? null;
}
