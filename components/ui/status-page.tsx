import type { ReactNode } from "react";
import { Card } from "./card";

/** A whole-page message in Deckhand's look (not found, something broke): the mark, a code, what happened, where to go. */
export function StatusPage({ code, title, children, actions }: { code: string; title: string; children: ReactNode; actions: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className="w-full max-w-md space-y-6 text-center">
        <p className="text-2xl font-bold tracking-tight">⚓ Deckhand</p>
        <Card padding="lg" className="space-y-3 text-left">
          <p className="font-mono text-sm font-semibold text-indigo-700">{code}</p>
          <h1 className="text-xl font-bold tracking-tight">{title}</h1>
          <div className="space-y-2 text-sm text-slate-600">{children}</div>
          <div className="flex flex-wrap gap-3 pt-2">{actions}</div>
        </Card>
      </div>
    </main>
  );
}
