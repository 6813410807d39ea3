import { OperationCard } from "@/components/api-docs/operation-card";
import { RouteIndex } from "@/components/api-docs/route-index";
import { buttonClass } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
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
            Every route, generated from the schemas that validate requests. Send <code className="font-mono">Authorization: Bearer $DECKHAND_TOKEN</code> (an admin creates tokens in Settings, or with{" "}
            <code className="font-mono">npx deckhand token create</code>). Errors are <code className="font-mono">{`{"error":{"code","message"}}`}</code>.
          </>
        }
        actions={
          <a href="/api/v1/openapi.json" className={buttonClass("secondary")} data-testid="openapi-link">
            openapi.json
          </a>
        }
      />
      <RouteIndex tags={tags} />
      {tags.map((t) => (
        <Section key={t.name} bare size="lg" title={t.name} description={t.description} className="mb-10">
          <div className="space-y-4">
            {t.operations.map((op) => (
              <OperationCard key={op.anchor} op={op} />
            ))}
          </div>
        </Section>
      ))}
    </>
  );
}
