"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { SignOutButton, type SignOutAction } from "@/components/auth/sign-out-button";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { classes } from "@/components/ui/classes";

export interface NavItem {
  href: string;
  label: string;
}

/** The most specific item is the current one: /settings/alerts is Alerts, not Settings as well. */
function currentHref(items: NavItem[], pathname: string): string | undefined {
  return items.filter((item) => (item.href === "/" ? pathname === "/" : pathname === item.href || pathname.startsWith(`${item.href}/`))).sort((a, b) => b.href.length - a.href.length)[0]?.href;
}

function linkClass(active: boolean, stacked: boolean): string {
  return classes("whitespace-nowrap rounded-md px-3 text-sm", stacked ? "block py-2.5" : "shrink-0 py-1.5", active ? "bg-slate-100 font-semibold text-slate-900" : "text-slate-600 hover:bg-slate-50 hover:text-slate-900");
}

/**
 * The top bar. From 1280 px the links are a row; below, they fold into a menu behind one button (aria-expanded),
 * which closes on a link, on Escape (focus back on the button) and when the page changes.
 */
export function Nav({ items, user, signOut }: { items: NavItem[]; user: { email: string; role: string }; signOut: SignOutAction }) {
  const pathname = usePathname();
  const current = currentHref(items, pathname);
  const [open, setOpen] = useState(false);
  const [openedAt, setOpenedAt] = useState(pathname);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = useId();
  // A page change (a link, back/forward) closes the menu: the state is reset while rendering the new path.
  if (openedAt !== pathname) {
    setOpenedAt(pathname);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  const account = (testId: string) => (
    <Link
      href="/account"
      title="Your account: sessions, password, two-factor sign-in"
      aria-current={pathname.startsWith("/account") ? "page" : undefined}
      className="min-w-0 truncate text-slate-600 hover:text-slate-900"
      data-testid={testId}
    >
      {user.email} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs uppercase text-slate-600">{user.role}</span>
    </Link>
  );
  const signOutButton = <SignOutButton action={signOut} className="shrink-0 text-slate-600 hover:text-slate-900" />;
  const links = (stacked: boolean) =>
    items.map((item) => (
      <Link key={item.href} href={item.href} aria-current={item.href === current ? "page" : undefined} className={linkClass(item.href === current, stacked)}>
        {item.label}
      </Link>
    ));

  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center gap-x-6 px-4 py-3">
        <Link href="/" className="shrink-0 font-bold tracking-tight">
          ⚓ Deckhand
        </Link>
        <nav aria-label="Main" className="hidden min-w-0 flex-1 gap-1 xl:flex">
          {links(false)}
        </nav>
        <div className="ml-auto hidden min-w-0 items-center gap-3 text-sm xl:flex">
          <ThemeToggle compact />
          {account("current-user")}
          {signOutButton}
        </div>
        <button
          ref={button}
          type="button"
          aria-expanded={open}
          aria-controls={menuId}
          onClick={() => setOpen((o) => !o)}
          className="ml-auto inline-flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50 xl:hidden"
          data-testid="menu-button"
        >
          <span aria-hidden="true">{open ? "✕" : "☰"}</span> Menu
        </button>
      </div>
      {/* The box is there when closed too (aria-controls names it); its links only when open, so a page has one of each. */}
      <div id={menuId} hidden={!open} className="border-t border-slate-200 px-4 pb-4 pt-2 xl:hidden" data-testid="menu">
        {open ? <MenuContent links={links(true)} account={account("current-user-menu")} signOut={signOutButton} /> : null}
      </div>
    </header>
  );
}

function MenuContent({ links, account, signOut }: { links: ReactNode; account: ReactNode; signOut: ReactNode }) {
  return (
    <>
      <nav aria-label="Main menu" className="grid gap-0.5">
        {links}
      </nav>
      <div className="mt-3 flex flex-wrap items-center gap-3 border-t border-slate-100 pt-3 text-sm">
        {account}
        <span className="ml-auto">{signOut}</span>
      </div>
      <div className="mt-3 flex items-center justify-between gap-3 text-sm">
        <span className="text-slate-600">Theme</span>
        <ThemeToggle />
      </div>
    </>
  );
}
