import type { HTMLAttributes, ReactNode } from "react";
import { classes } from "./classes";

/** A page-sized "nothing here yet", with what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
      <p className="font-semibold text-slate-800">{title}</p>
      {children ? <div className="mt-1 text-sm text-slate-500">{children}</div> : null}
    </div>
  );
}

/** A muted one-line "nothing yet" inside a card. */
export function EmptyLine({ className, ...rest }: HTMLAttributes<HTMLParagraphElement>) {
  return <p {...rest} className={classes("text-sm text-slate-500", className)} />;
}
