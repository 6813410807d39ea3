import { notFound } from "next/navigation";
import { monitorTitle } from "@/lib/queries/titles";

/**
 * An unknown monitor is a 404 before the page streams: this layout sits outside the segment's loading.tsx,
 * so its notFound() sets the status, where the page's own (inside the loading boundary) would arrive in a
 * response already sent as 200.
 */
export default async function MonitorLayout({ params, children }: { params: Promise<{ id: string }>; children: React.ReactNode }) {
  if ((await monitorTitle((await params).id)) === null) notFound();
  return children;
}
