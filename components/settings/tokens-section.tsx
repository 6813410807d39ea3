import type { ApiTokenRow } from "@/lib/queries/users";
import { Section } from "../ui/section";
import { Table } from "../ui/table";
import { formatMinute } from "../ui/time";
import type { Action } from "../use-server-action";
import { CreateTokenForm, RevokeTokenButton } from "./settings-forms";

function status(t: ApiTokenRow, now: number): string | null {
  if (t.revokedAt) return "revoked";
  if (t.expiresAt !== null && t.expiresAt <= now) return "expired";
  return null;
}

/**
 * API tokens for CI and scripts: shown once when created, listed by prefix, revocable, expiring when chosen.
 * A token made here never does more than its creator can do now (their current role caps it).
 */
export function TokensSection({ tokens, now, create, revoke }: { tokens: ApiTokenRow[]; now: number; create: Action<{ token: string; name: string }>; revoke: Action }) {
  return (
    <Section
      title="API tokens"
      size="lg"
      description={
        <>
          For CI: <code className="font-mono">Authorization: Bearer &lt;token&gt;</code> on <code className="font-mono">/api/v1/*</code>. Also <code className="font-mono">npx deckhand token create --name ci --role deployer</code>. A token
          does no more than the role of whoever created it allows now.
        </>
      }
    >
      <Table
        className="mb-6"
        rows={tokens}
        rowKey={(t) => t.id}
        rowProps={(t) => ({ className: status(t, now) ? "text-slate-400" : undefined })}
        empty="No tokens yet."
        data-testid="api-tokens"
        columns={[
          { header: "Name", cell: (t) => t.name },
          { header: "Role", cell: (t) => t.role },
          { header: "Prefix", className: "font-mono text-xs", cell: (t) => `${t.prefix}…` },
          { header: "Created by", cell: (t) => t.createdBy?.email ?? (t.createdByUser ? "a deleted user" : "CLI") },
          { header: "Expires", cell: (t) => (t.expiresAt ? formatMinute(t.expiresAt) : "never") },
          {
            header: "Last used",
            cell: (t) =>
              t.lastUsedAt ? (
                <>
                  {formatMinute(t.lastUsedAt)}
                  {t.lastUsedIp ? <span className="block font-mono text-xs text-slate-500">{`from ${t.lastUsedIp}`}</span> : null}
                </>
              ) : (
                "never"
              ),
          },
          { header: "", align: "right", cell: (t) => status(t, now) ?? <RevokeTokenButton tokenId={t.id} name={t.name} action={revoke} /> },
        ]}
      />
      <CreateTokenForm action={create} />
    </Section>
  );
}
