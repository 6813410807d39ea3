"use client";

import { useRouter } from "next/navigation";
import type { OwnTokenRow } from "@/lib/queries/account";
import { Badge } from "../ui/badge";
import { ConfirmButton } from "../ui/confirm-button";
import { Section } from "../ui/section";
import { Table } from "../ui/table";
import { formatMinute } from "../ui/time";
import { notify } from "../ui/toaster";
import { useServerAction, type Action } from "../use-server-action";

function RevokeOwnToken({ token, revoke }: { token: OwnTokenRow; revoke: Action }) {
  const router = useRouter();
  const { error, pending, run, setError } = useServerAction(revoke);
  return (
    <ConfirmButton
      disabled={pending}
      aria-label={`Revoke the token ${token.name}`}
      title={`Revoke the token “${token.name}”?`}
      description={
        <>
          Scripts and CI jobs using <span className="font-mono">{token.prefix}…</span> are refused from their next request. A revoked token cannot be brought back.
        </>
      }
      confirmLabel="Revoke token"
      pending={pending}
      error={error}
      onOpen={() => setError(null)}
      onConfirm={(close) =>
        run({ tokenId: token.id }, () => {
          close();
          notify(`Token “${token.name}” revoked`);
          router.refresh();
        })
      }
    >
      Revoke
    </ConfirmButton>
  );
}

/** The API tokens this person created: when they were last used, and a way to revoke one that leaked. */
export function OwnTokensSection({ tokens, revoke }: { tokens: OwnTokenRow[]; revoke: Action }) {
  return (
    <Section title="Your API tokens" size="lg" className="mb-8" description="Tokens you created for scripts and CI. A token never does more than your role allows now. Admins create tokens in Settings.">
      <Table
        rows={tokens}
        rowKey={(t) => t.id}
        empty="You have not created any API tokens."
        data-testid="own-tokens"
        columns={[
          { header: "Name", cell: (t) => t.name },
          { header: "Role", cell: (t) => t.role },
          { header: "Prefix", className: "font-mono text-xs", cell: (t) => `${t.prefix}…` },
          { header: "Expires", cell: (t) => (t.expiresAt ? formatMinute(t.expiresAt) : "never") },
          { header: "Last used", cell: (t) => (t.lastUsedAt ? formatMinute(t.lastUsedAt) : "never") },
          { header: "", align: "right", cell: (t) => (t.state === "active" ? <RevokeOwnToken token={t} revoke={revoke} /> : <Badge value="cancelled" label={t.state} />) },
        ]}
      />
    </Section>
  );
}
