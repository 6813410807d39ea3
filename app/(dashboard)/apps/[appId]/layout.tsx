import { notFound } from "next/navigation";
import { appTitle } from "@/lib/queries/titles";

/**
 * An unknown app is a 404 before anything streams (its pages sit inside loading.tsx boundaries, where a
 * notFound() arrives in a response already sent as 200); the same for its deploys' pages, one level down.
 */
export default async function AppLayout({ params, children }: { params: Promise<{ appId: string }>; children: React.ReactNode }) {
  if ((await appTitle((await params).appId)) === null) notFound();
  return children;
}
