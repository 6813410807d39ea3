import { expect, type Page } from "@playwright/test";

export interface Credentials {
  email: string;
  password: string;
}

/** Signs in on the login page as a person would and waits for the overview. */
export async function signInAs(page: Page, user: Credentials): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
}
