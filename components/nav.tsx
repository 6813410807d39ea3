"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";

export interface NavItem {
  href: string;
  label: string;
}

export function Nav({ items, user }: { items: NavItem[]; user: { email: string; role: string } }) {
  const pathname = usePathname();
  // The most specific item is the current one: /settings/alerts is Alerts, not Settings as well.
  const current = items
    .filter((item) => (item.href === "/" ? pathname === "/" : pathname === item.href || pathname.startsWith(`${item.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="font-bold tracking-tight">
          ⚓ Deckhand
        </Link>
        {/* On a phone the links are a row of their own that scrolls sideways, not a page wider than the screen. */}
        <nav aria-label="Main" className="order-last flex w-full min-w-0 gap-1 overflow-x-auto sm:order-none sm:w-auto sm:flex-1">
          {items.map((item) => {
            const active = item.href === current;
            return (
              <Link
                key={item.href}
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`shrink-0 whitespace-nowrap rounded-md px-3 py-1.5 text-sm ${active ? "bg-slate-100 font-semibold text-slate-900" : "text-slate-600 hover:bg-slate-50"}`}
              >
                {item.label}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex min-w-0 max-w-full items-center gap-3 text-sm">
          <Link
            href="/account"
            title="Your account: sessions, password, two-factor sign-in"
            aria-current={pathname.startsWith("/account") ? "page" : undefined}
            className="min-w-0 truncate text-slate-600 hover:text-slate-900"
            data-testid="current-user"
          >
            {user.email} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs uppercase text-slate-600">{user.role}</span>
          </Link>
          <button type="button" onClick={() => signOut({ callbackUrl: "/login" })} className="text-slate-500 hover:text-slate-900">
            Sign out
          </button>
        </div>
      </div>
    </header>
  );
}
