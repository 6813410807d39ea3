import type { listApiTokens } from "@/lib/queries/users";
import { Section } from "../ui/section";
import { Table } from "../ui/table";
import { formatMinute } from "../ui/time";
import type { Action } from "../use-server-action";
import { CreateTokenForm, RevokeTokenButton } from "./settings-forms";

type ApiTokenRow = Awaited<ReturnType<typeof listApiTokens>>[number];

/** API tokens for CI and scripts: shown once when created, listed by prefix, revocable. */
export function TokensSection({ tokens, create, revoke }: { tokens: ApiTokenRow[]; create: Action<{ token: string; name: string }>; revoke: Action }) {
  return (
    <Section
      title="API tokens"
      size="lg"
      description={
        <>
          For CI: <code className="font-mono">Authorization: Bearer &lt;token&gt;</code> on <code className="font-mono">/api/v1/*</code>. Also{" "}
          <code className="font-mono">npx deckhand token create --name ci --role deployer</code>.
        </>
      }
    >
      <Table
        className="mb-6"
        rows={tokens}
        rowKey={(t) => t.id}
        rowProps={(t) => ({ className: t.revokedAt ? "text-slate-400" : undefined })}
        empty="No tokens yet."
        columns={[
          { header: "Name", cell: (t) => t.name },
          { header: "Role", cell: (t) => t.role },
          { header: "Prefix", className: "font-mono text-xs", cell: (t) => `${t.prefix}…` },
          { header: "Last used", cell: (t) => (t.lastUsedAt ? formatMinute(t.lastUsedAt) : "never") },
          { header: "", align: "right", cell: (t) => (t.revokedAt ? "revoked" : <RevokeTokenButton tokenId={t.id} action={revoke} />) },
        ]}
      />
      <CreateTokenForm action={create} />
    </Section>
  );
}
