"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-renders the page's server components every few seconds while the tab is visible, so statuses and
 * charts follow the worker without a reload (router.refresh keeps client state and scroll position).
 */
export function AutoRefresh({ seconds }: { seconds: number }) {
  const router = useRouter();
  useEffect(() => {
    const tick = () => {
      if (document.visibilityState === "visible") router.refresh();
    };
    const handle = setInterval(tick, seconds * 1000);
    document.addEventListener("visibilitychange", tick);
    return () => {
      clearInterval(handle);
      document.removeEventListener("visibilitychange", tick);
    };
  }, [router, seconds]);
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-slate-500" data-testid="auto-refresh">
      <span className="h-2 w-2 animate-pulse rounded-full bg-emerald-500" aria-hidden /> live, every {seconds} s
    </span>
  );
}
