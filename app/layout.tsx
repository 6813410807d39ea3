import type { Metadata } from "next";
import "./globals.css";

// Every page is rendered per request: the Content-Security-Policy's script nonce is new each time (the web
// server sets it, lib/web/headers.ts), and a page prerendered at build time would carry none and not run.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Deckhand", template: "%s · Deckhand" },
  description: "Deploy, roll back and watch your web applications",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
