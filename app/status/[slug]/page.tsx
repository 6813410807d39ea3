import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PublicStatusPage } from "@/components/status-pages/public-page";
import { getPublicStatus } from "@/lib/queries/status-pages";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const status = await getPublicStatus((await params).slug);
  return { title: { absolute: status ? status.title : "Status page not found" }, robots: { index: true } };
}

/** /status/<slug>: a public status page, no sign-in (served from the per-process cache). */
export default async function StatusPageRoute({ params }: Props) {
  const status = await getPublicStatus((await params).slug);
  if (!status) notFound();
  return (
    <main>
      <PublicStatusPage status={status} />
    </main>
  );
}
