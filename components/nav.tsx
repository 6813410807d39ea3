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
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="font-bold tracking-tight">
          ⚓ Deckhand
        </Link>
        <nav aria-label="Main" className="flex flex-1 flex-wrap gap-1">
          {items.map((item) => {
            const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
            return (
              <Link
                key={item.href}
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`rounded-md px-3 py-1.5 text-sm ${active ? "bg-slate-100 font-semibold text-slate-900" : "text-slate-600 hover:bg-slate-50"}`}
              >
                {item.label}
              </Link>
            );
          })}
        </nav>
        <div className="flex items-center gap-3 text-sm">
          <Link
            href="/account"
            title="Your account: sessions, password, two-factor sign-in"
            aria-current={pathname.startsWith("/account") ? "page" : undefined}
            className="text-slate-600 hover:text-slate-900"
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
