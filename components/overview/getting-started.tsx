import Link from "next/link";
import { EmptyState } from "../ui/empty";

/** The first-run hint: what to add first, or who adds it. */
export function GettingStarted({ canManageServers }: { canManageServers: boolean }) {
  return (
    <EmptyState title="Nothing deployed yet">
      {canManageServers ? (
        <>
          Start by{" "}
          <Link className="text-indigo-600 underline" href="/servers">
            adding a server
          </Link>
          , then{" "}
          <Link className="text-indigo-600 underline" href="/apps">
            an app
          </Link>{" "}
          to deploy to it.
        </>
      ) : (
        "An administrator adds servers and apps; they will show up here."
      )}
    </EmptyState>
  );
}
