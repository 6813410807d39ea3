import type { Metadata } from "next";
import "./globals.css";

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
