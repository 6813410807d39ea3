"use client";

import Link from "next/link";
import { Button, buttonClass } from "./form";
import { StatusPage } from "./status-page";

/** What an error boundary shows: the error's reference for the server log (never its message), retry, home. */
export function ErrorPage({ error, retry, home = true }: { error: unknown; retry: () => void; home?: boolean }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  return (
    <StatusPage
      code="500"
      title="Something went wrong"
      actions={
        <>
          <Button type="button" onClick={() => retry()}>
            Try again
          </Button>
          {/* A plain link after a broken root layout: the client router may be what broke. */}
          {home ? (
            <Link href="/" className={buttonClass("secondary")}>
              Go to the overview
            </Link>
          ) : (
            // eslint-disable-next-line @next/next/no-html-link-for-pages -- deliberate: a full page load, not the client router (above)
            <a href="/" className={buttonClass("secondary")}>
              Go to the overview
            </a>
          )}
        </>
      }
    >
      <p>Deckhand could not show this page. Nothing you did was lost; trying again often works.</p>
      {digest ? (
        <p>
          If it keeps happening, give your administrator this reference, which is in the server log: <code className="font-mono text-slate-900">{digest}</code>
        </p>
      ) : null}
    </StatusPage>
  );
}
