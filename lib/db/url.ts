import { parse } from "pg-connection-string";

export interface PgConnectionFields {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Connection fields rather than a string: Prisma's shadow database overrides `database`, which a string would win over. */
export function connectionFields(url: string): PgConnectionFields {
  const parsed = parse(url);
  return {
    host: parsed.host ?? "localhost",
    port: Number(parsed.port ?? 5432),
    user: parsed.user ?? "postgres",
    password: parsed.password ?? "",
    database: parsed.database ?? "postgres",
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = "/" + encodeURIComponent(database);
  return u.toString();
}
