import type { AppView } from "@/lib/queries/apps";
import { EmptyLine } from "../ui/empty";
import { Section } from "../ui/section";

/** The app's environment variables by name: values are write-only and never reach a browser. */
export function EnvironmentNames({ app, className }: { app: AppView; className?: string }) {
  return (
    <Section className={className} title="Environment" description="Values are encrypted, written to shared/.env on each server and masked in deploy logs; they are never shown.">
      {app.secrets.length === 0 ? (
        <EmptyLine>No variables.</EmptyLine>
      ) : (
        <ul className="flex flex-wrap gap-2" data-testid="env-names">
          {app.secrets.map((s) => (
            <li key={s.name} className="rounded-md border border-slate-200 px-2 py-1 font-mono text-xs">
              {s.name} <span className="text-slate-500">set</span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
