"use client";

import { useTheme } from "next-themes";
import { Toaster as Sonner, toast } from "sonner";

/**
 * The dashboard's one toast region (sonner), for results that do not navigate: saved, removed, queued.
 * Errors are not toasted: they stay next to the field or button that caused them. The toasts follow the
 * theme next-themes resolved (light or dark). Sonner adds its stylesheet as an inline <style>, which the
 * CSP allows (style-src 'unsafe-inline', lib/web/headers.ts); it runs no inline script.
 */
export function Toaster() {
  const { resolvedTheme } = useTheme();
  return <Sonner theme={resolvedTheme === "dark" ? "dark" : "light"} position="bottom-right" closeButton duration={5_000} toastOptions={{ className: "text-sm" }} />;
}

/** A result worth a line but no new page: "Variable removed", "Token revoked". */
export function notify(message: string): void {
  toast.success(message);
}
