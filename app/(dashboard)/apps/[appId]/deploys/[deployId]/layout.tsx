import { notFound } from "next/navigation";
import { deployTitle } from "@/lib/queries/titles";

/**
 * An unknown deploy (or one of another app) is a 404 before the page streams: this layout sits outside the
 * segment's loading.tsx, and the app page's own loading boundary lives in the (app) group, so it does not
 * wrap this segment either.
 */
export default async function DeployLayout({ params, children }: { params: Promise<{ appId: string; deployId: string }>; children: React.ReactNode }) {
  const { appId, deployId } = await params;
  if ((await deployTitle(appId, deployId)) === null) notFound();
  return children;
}
