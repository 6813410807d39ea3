import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import { baseUrl, type Session } from "../../helpers/http";

/** Real Chromium, launched as playwright.config.ts launches it. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = [process.env.DECKHAND_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => !!p && existsSync(p));
  return chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
  });
}

/** A browser context holding a signed-in session's cookies for Deckhand's origin, as the user's own browser would. */
export async function signedInContext(browser: Browser, session: Session): Promise<BrowserContext> {
  const context = await browser.newContext();
  const cookies = session.cookie
    .split("; ")
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf("=");
      return { name: pair.slice(0, eq), value: pair.slice(eq + 1), url: baseUrl(), sameSite: "Lax" as const, httpOnly: true };
    });
  await context.addCookies(cookies);
  return context;
}
