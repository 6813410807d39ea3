import Link from "next/link";
import type { ComponentProps, HTMLAttributes } from "react";
import { classes } from "./classes";

// The one place a card's surface, border and shadow are written: a theme changes them here.
const SURFACE = "min-w-0 rounded-xl bg-white shadow-sm ring-1 ring-slate-200";
const PADDING = { none: "", xs: "p-3", sm: "p-4", md: "p-5", lg: "p-6" } as const;
export type CardPadding = keyof typeof PADDING;

/** A card's classes, for the elements Card does not render itself (a form, a table's scroll box). */
export function cardClass(padding: CardPadding = "md", className?: string): string {
  return classes(SURFACE, PADDING[padding], className);
}

type CardElement = "div" | "section" | "article" | "li" | "details";

export function Card({ as: Element = "div", padding = "md", className, ...rest }: HTMLAttributes<HTMLElement> & { as?: CardElement; padding?: CardPadding }) {
  return <Element {...rest} className={cardClass(padding, className)} />;
}

/** A card that is a link as a whole: an app, a count on the overview. */
export function CardLink({ padding = "md", className, ...rest }: ComponentProps<typeof Link> & { padding?: CardPadding }) {
  return <Link {...rest} className={cardClass(padding, classes("hover:ring-indigo-300", className))} />;
}
