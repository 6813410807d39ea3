import { headers } from "next/headers";
import { ThemeProvider as NextThemes } from "next-themes";
import type { ReactNode } from "react";

/** The nonce of this request's Content-Security-Policy (lib/web/gate.ts puts it on the request), as Next reads it. */
async function scriptNonce(): Promise<string | undefined> {
  const csp = (await headers()).get("content-security-policy") ?? "";
  return /'nonce-([^']+)'/.exec(csp)?.[1];
}

/**
 * Light or dark: the person's choice (remembered in this browser's localStorage) or else the system's. next-themes
 * writes a small inline script that sets the `dark` class on <html> before the page paints (no flash of the wrong
 * theme); the CSP allows only nonced scripts, so it carries this request's nonce.
 */
export async function ThemeProvider({ children }: { children: ReactNode }) {
  return (
    <NextThemes attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={await scriptNonce()}>
      {children}
    </NextThemes>
  );
}
