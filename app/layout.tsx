import type { Metadata, Viewport } from "next";
import { ThemeProvider } from "@/components/theme/theme-provider";
import "./globals.css";

// Every page is rendered per request: the Content-Security-Policy's script nonce is new each time (the web
// server sets it, lib/web/headers.ts), and a page prerendered at build time would carry none and not run.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Deckhand", template: "%s · Deckhand" },
  description: "Deploy, roll back and watch your web applications",
  applicationName: "Deckhand",
  manifest: "/manifest.webmanifest",
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "32x32" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: { url: "/apple-touch-icon.png", sizes: "180x180" },
  },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f8fafc" },
    { media: "(prefers-color-scheme: dark)", color: "#020617" },
  ],
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    // next-themes sets the `dark` class and color-scheme on <html> before hydration: React is told not to mind.
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen">
        <ThemeProvider>{children}</ThemeProvider>
      </body>
    </html>
  );
}
