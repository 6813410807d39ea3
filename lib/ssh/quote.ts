/**
 * The one way a user-supplied string enters a remote shell command.
 *
 * Everything is wrapped in single quotes, inside which a POSIX shell gives no character a special
 * meaning; a single quote itself is written as '\'' (close, escaped quote, reopen). Always quoting,
 * even "safe" words, keeps the rule free of judgement calls.
 *
 * Quoting cannot stop a program from reading an argument as an option: a value that may start with
 * "-" still needs "--" (or --end-of-options for git) in front of it.
 */
export function shellQuote(arg: string): string {
  // A NUL cannot travel inside a shell word; the shell would silently cut the string there.
  if (arg.includes("\0")) throw new TypeError("cannot quote a string containing a NUL character for the shell");
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Quote every argument and join them with spaces: `shellJoin(["git", "fetch", ref])`. */
export function shellJoin(args: readonly string[]): string {
  return args.map(shellQuote).join(" ");
}
