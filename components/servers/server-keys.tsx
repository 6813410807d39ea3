import type { ServerRow } from "@/lib/queries/servers";
import { Badge } from "../ui/badge";
import { Section } from "../ui/section";
import { LocalTime } from "../ui/local-time";
import type { Action } from "../use-server-action";
import { ServerActions, type VerifyOutcome } from "./server-actions";

/** The server's pinned host key (with verify and pin for admins) and the public key Deckhand logs in with. */
export function ServerKeys({ server, verify, pin, canManage }: { server: ServerRow; verify: Action<VerifyOutcome>; pin: Action; canManage: boolean }) {
  return (
    <div className="mb-8 grid gap-4 sm:grid-cols-2">
      <Section title="Host key">
        <p>
          <Badge value={server.hostKeyStatus} /> <span className="font-mono text-xs">{server.hostKeyFingerprint ?? "not pinned"}</span>
        </p>
        <p className="mt-1 text-xs text-slate-500">
          Last checked <LocalTime ms={server.hostKeyCheckedAt} />
        </p>
        <div className="mt-3">
          <ServerActions serverId={server.id} verify={verify} pin={pin} canManage={canManage} />
        </div>
      </Section>
      <Section title="Deploy key">
        <p className="font-mono text-xs break-all">{server.sshKey.publicKey}</p>
        <p className="mt-1 font-mono text-xs break-all text-slate-500">{server.sshKey.fingerprint}</p>
      </Section>
    </div>
  );
}
