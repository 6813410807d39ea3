import { notFound } from "next/navigation";
import { appTitle } from "@/lib/queries/titles";

/**
 * An unknown app is a 404 before anything streams: its pages sit inside loading.tsx boundaries, where a
 * notFound() arrives in a response already sent as 200. The app page's skeleton is in the (app) route group so
 * that it wraps only that page, not deploys/[deployId], whose own layout checks the deploy the same way.
 */
export default async function AppLayout({ params, children }: { params: Promise<{ appId: string }>; children: React.ReactNode }) {
  if ((await appTitle((await params).appId)) === null) notFound();
  return children;
}
