import Link from "next/link";
import { headers } from "next/headers";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { pageNeed } from "@/lib/auth/page-needs";
import { requireUser } from "@/lib/auth/session";

export const metadata = { title: "Needs a higher role" };

/** What a page that needs a higher role shows (answered with 403): which role, and who to ask. */
export default async function Forbidden() {
  const user = await requireUser();
  const need = pageNeed((await headers()).get("x-deckhand-path") ?? "/");
  return (
    <>
      <PageHeader title={need ? `${need.title} needs the ${need.role} role` : "This page needs a higher role"} />
      <Card as="section" padding="lg">
        <p className="text-sm text-slate-700">
          You are signed in as <strong>{user.email}</strong> with the <strong>{user.role}</strong> role.
          {need ? ` ${need.title} is open to the ${need.role} role and above.` : ""} An admin can change your role under Settings.
        </p>
        <p className="mt-4 text-sm">
          <Link href="/" className="font-medium text-sky-700 underline underline-offset-2">
            Back to the overview
          </Link>
        </p>
      </Card>
    </>
  );
}
