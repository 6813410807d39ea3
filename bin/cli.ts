/**
 * The Deckhand command line. Works whether or not the app is running: it reaches the database the app
 * uses (DATABASE_URL, or the embedded one, started for the duration of the command when it is down).
 * stdout carries only the answer (a token, a report); logs go to stderr.
 */
import os from "node:os";
import { parseArgs } from "node:util";

process.env.DECKHAND_LOG_STDERR = "1";

const USAGE = `Usage: deckhand <command>

  user create --email <email> --role <viewer|deployer|admin> [--name <name>]
                                   password is read from standard input
  token create --name <name> --role <viewer|deployer|admin> [--expires-days <days>]
                                   prints the new token (only the token) on stdout; without
                                   --expires-days it does not expire
  token revoke --name <name>       revokes every live token with that name
  db migrate                       applies pending migrations
  doctor                           checks configuration, database, migrations, secret, disk and every
                                   server's pinned host key; one line per check, exit 1 on any FAIL
  audit verify [--head <hash>]     walks the audit hash chain; with --head, also checks that a head hash
                                   kept elsewhere is still in it (nothing was cut from the end)
  audit archive --before <date> --out <file.jsonl>
                                   exports the events older than the date to a new file, then removes
                                   them and records that it did (the chain stays verifiable)
`;

class UsageError extends Error {}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Password (then Enter, then Ctrl-D): ");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      head: { type: "string" },
      before: { type: "string" },
      out: { type: "string" },
      "expires-days": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  // The shared string check (lib/actions/input-strings.ts) on every argument, before anything else runs.
  const { findBadString } = await import("../lib/actions/input-strings");
  const badArgument = findBadString({ ...values, command: positionals });
  if (badArgument) throw new UsageError(`${badArgument.path === "command" || badArgument.path.startsWith("command.") ? "the command" : `--${badArgument.path}`}: ${badArgument.problem}`);
  const command = positionals.join(" ");
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const known = ["user create", "token create", "token revoke", "db migrate", "audit verify", "audit archive", "doctor"];
  if (!known.includes(command)) throw new UsageError(`unknown command "${command}"`);

  // Before parseEnv: a broken configuration is one of the things doctor reports, not a reason to stop.
  if (command === "doctor") {
    const { runDoctor, formatReport, doctorExitCode } = await import("../lib/doctor/run");
    const results = await runDoctor({ source: process.env });
    process.stdout.write(formatReport(results));
    return doctorExitCode(results);
  }

  const { parseEnv, ConfigError } = await import("../lib/env");
  let env;
  try {
    env = parseEnv(process.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  process.env.DECKHAND_SECRET = env.DECKHAND_SECRET;
  const { resolveDatabase } = await import("../lib/db/connect");
  const database = await resolveDatabase(env);
  process.env.DATABASE_URL = database.url;
  try {
    const { migrateDatabase } = await import("../lib/db/migrate");
    if (command === "db migrate" || database.startedHere) await migrateDatabase(database.url);
    if (command === "db migrate") {
      process.stderr.write("migrations applied\n");
      return 0;
    }
    const commands = await import("../lib/cli/commands");
    const actor = { kind: "system" as const, label: `cli (${os.userInfo().username}@${os.hostname()})` };
    switch (command) {
      case "user create": {
        const password = await readStdin();
        const user = await commands.createUserFromCli({ email: values.email, role: values.role, name: values.name, password }, actor);
        process.stderr.write(`created ${user.role} ${user.email}\n`);
        return 0;
      }
      case "token create": {
        const days = values["expires-days"];
        const created = await commands.createTokenFromCli({ name: values.name, role: values.role, expiresInDays: days === undefined ? undefined : Number(days) }, actor);
        process.stdout.write(created.token + "\n");
        return 0;
      }
      case "token revoke": {
        const count = await commands.revokeTokensByName(values.name ?? "", actor);
        process.stderr.write(`revoked ${count} token(s)\n`);
        return count > 0 ? 0 : 1;
      }
      case "audit verify": {
        if (values.head !== undefined && !/^[0-9a-f]{64}$/.test(values.head)) throw new UsageError("--head must be a 64-character hex hash");
        const result = await commands.runAuditVerification(actor.label, { expectHead: values.head });
        if (result.ok) {
          process.stdout.write(`audit chain intact: ${result.count} events, head ${result.head}\n`);
          return 0;
        }
        process.stdout.write(`audit chain BROKEN at event ${result.brokenAt}: ${result.reason}\n`);
        return 1;
      }
      case "audit archive": {
        if (!values.before || !values.out) throw new UsageError("audit archive needs --before <date> and --out <file.jsonl>");
        const before = new Date(/^\d{4}-\d{2}-\d{2}$/.test(values.before) ? `${values.before}T00:00:00Z` : values.before);
        if (Number.isNaN(before.getTime())) throw new UsageError(`--before "${values.before}" is not a date (use YYYY-MM-DD or an ISO date-time)`);
        const result = await commands.archiveAuditEvents({ before, out: values.out, actor, meta: { ip: null, userAgent: "deckhand-cli" } });
        if (!result) {
          process.stderr.write(`no events before ${before.toISOString()}: nothing archived\n`);
          return 0;
        }
        process.stderr.write(`archived ${result.count} events (#${result.firstId}–#${result.lastId}, ${result.firstAt} – ${result.lastAt})\n`);
        process.stdout.write(`${result.file} sha256 ${result.sha256}\n`);
        return 0;
      }
    }
    return 2;
  } finally {
    const { db } = await import("../lib/db/client");
    await db()
      .$disconnect()
      .catch(() => undefined);
    await database.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (err: unknown) => {
    const { AppError } = await import("../lib/errors");
    if (err instanceof UsageError || err instanceof AppError) {
      process.stderr.write(`deckhand: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`deckhand: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
