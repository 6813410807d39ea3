import type { HTMLAttributes, ReactNode } from "react";
import { Card } from "./card";
import { classes } from "./classes";

type SectionProps = Omit<HTMLAttributes<HTMLElement>, "title"> & {
  title: ReactNode;
  /** A line under the title. */
  description?: ReactNode;
  /** Shown right of the title: buttons, a range picker, a live indicator. */
  actions?: ReactNode;
  /** "md": one panel among others (Releases, Incidents); "lg": a page's main block or a form (Add a server). */
  size?: "md" | "lg";
  /** No card of its own, for content that brings its own (a framed table, a list of cards). */
  bare?: boolean;
};

/** A titled region of a page: heading, optional description and actions, then its content. */
export function Section({ title, description, actions, size = "md", bare = false, className, children, ...rest }: SectionProps) {
  const header = (
    <div className={classes("flex flex-wrap items-center justify-between gap-2", size === "lg" && !bare ? "mb-4" : "mb-3")}>
      <div>
        <h2 className={size === "lg" ? "text-lg font-semibold" : "font-semibold"}>{title}</h2>
        {description ? <p className="mt-1 text-sm text-slate-500">{description}</p> : null}
      </div>
      {actions}
    </div>
  );
  if (bare) {
    return (
      <section {...rest} className={className}>
        {header}
        {children}
      </section>
    );
  }
  return (
    <Card as="section" padding={size} className={className} {...rest}>
      {header}
      {children}
    </Card>
  );
}
