import type { ReactNode } from "react";
import { Card } from "./card";
import { classes } from "./classes";

/**
 * Placeholders for loading.tsx: grey blocks in the places and sizes of the page's real parts (header, tiles,
 * sections, table rows), so nothing jumps when the data arrives. Screen readers hear one "Loading …".
 */
export function Bone({ className }: { className?: string }) {
  return <span aria-hidden="true" className={classes("block animate-pulse rounded-md bg-slate-200", className)} />;
}

/** The page: one status for assistive technology, the blocks hidden from it. */
export function PageSkeleton({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="status" aria-live="polite" data-testid="page-skeleton">
      <span className="sr-only">Loading {label}…</span>
      {children}
    </div>
  );
}

/** PageHeader's place: an h1-sized bar and a description line. */
export function HeaderSkeleton({ description = true }: { description?: boolean }) {
  return (
    <div className="mb-6 space-y-2">
      <Bone className="h-8 w-48 max-w-full" />
      {description ? <Bone className="h-4 w-80 max-w-full" /> : null}
    </div>
  );
}

/** A row of count or uptime tiles (two columns on a phone, four from sm). */
export function TilesSkeleton({ count = 4, className = "mb-8" }: { count?: number; className?: string }) {
  return (
    <div className={classes("grid grid-cols-2 gap-4 sm:grid-cols-4", className)}>
      {Array.from({ length: count }, (_, i) => (
        <Card key={i} padding="sm" className="space-y-2">
          <Bone className="h-4 w-20" />
          <Bone className="h-7 w-16" />
        </Card>
      ))}
    </div>
  );
}

/** Table rows inside a card: the shape of Releases, Deploy history, the audit table. */
export function RowsSkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <div className="space-y-3">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center gap-4">
          <Bone className="h-4 w-24 shrink-0" />
          <Bone className="h-4 flex-1" />
          <Bone className="hidden h-4 w-20 shrink-0 sm:block" />
        </div>
      ))}
    </div>
  );
}

/** A Section's place: its title, then rows (or a block of the given height, for a chart). */
export function SectionSkeleton({ rows = 4, height, bare = false, className = "mb-6" }: { rows?: number; height?: string; bare?: boolean; className?: string }) {
  const body = height ? <Bone className={classes("w-full", height)} /> : <RowsSkeleton rows={rows} />;
  const title = <Bone className="mb-4 h-5 w-32" />;
  if (bare) {
    return (
      <div className={className}>
        {title}
        <Card padding="md">{body}</Card>
      </div>
    );
  }
  return (
    <Card padding="md" className={className}>
      {title}
      {body}
    </Card>
  );
}
