import { OperationCard } from "@/components/api-docs/operation-card";
import { PageHeader } from "@/components/ui/empty";
import { requireUser } from "@/lib/auth/session";
import { getApiReference } from "@/lib/openapi/api-docs";

export const metadata = { title: "API" };

export default async function ApiDocsPage() {
  await requireUser();
  const tags = getApiReference();
  return (
    <>
      <PageHeader
        title="API"
        description={
          <>
            Every route, generated from the schemas that validate requests. Send <code className="font-mono">Authorization: Bearer $DECKHAND_TOKEN</code> (an admin creates tokens in
            Settings, or with <code className="font-mono">npx deckhand token create</code>). Errors are <code className="font-mono">{`{"error":{"code","message"}}`}</code>.
          </>
        }
        actions={
          <a href="/api/v1/openapi.json" className="rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50" data-testid="openapi-link">
            openapi.json
          </a>
        }
      />
      <nav aria-label="Routes" className="mb-8 grid gap-4 rounded-xl bg-white p-5 text-sm shadow-sm ring-1 ring-slate-200 sm:grid-cols-2 lg:grid-cols-3">
        {tags.map((t) => (
          <div key={t.name}>
            <p className="font-semibold">{t.name}</p>
            <ul className="mt-1 space-y-0.5">
              {t.operations.map((op) => (
                <li key={op.anchor}>
                  <a href={`#${op.anchor}`} className="text-indigo-700 hover:underline">
                    <span className="mr-1 font-mono text-xs">{op.method}</span>
                    {op.path.replace("/api/v1", "")}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      {tags.map((t) => (
        <section key={t.name} className="mb-10">
          <h2 className="text-lg font-semibold">{t.name}</h2>
          <p className="mb-3 text-sm text-slate-500">{t.description}</p>
          <div className="space-y-4">
            {t.operations.map((op) => (
              <OperationCard key={op.anchor} op={op} />
            ))}
          </div>
        </section>
      ))}
    </>
  );
}
