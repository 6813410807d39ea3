"use client";

import { useEffect } from "react";
import { ErrorPage } from "@/components/ui/error-page";
import "./globals.css";

/** The root layout itself failed: this page brings its own document, and applies the stored or system theme. */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    let stored: string | null = null;
    try {
      stored = localStorage.getItem("theme");
    } catch {
      // storage blocked: follow the system
    }
    const dark = stored === "dark" || (stored !== "light" && window.matchMedia("(prefers-color-scheme: dark)").matches);
    document.documentElement.classList.toggle("dark", dark);
  }, []);
  return (
    <html lang="en">
      <body className="min-h-screen">
        <title>Something went wrong · Deckhand</title>
        <ErrorPage error={error} retry={retry} home={false} />
      </body>
    </html>
  );
}
