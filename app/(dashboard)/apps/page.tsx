import Link from "next/link";
import { AppCards } from "@/components/apps/app-cards";
import { EmptyState } from "@/components/ui/empty";
import { buttonClass } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listApps } from "@/lib/queries/apps";

export const metadata = { title: "Apps" };

export default async function AppsPage() {
  const user = await requireUser();
  const apps = await listApps();
  const admin = can.manageApps(user);
  return (
    <>
      <PageHeader
        title="Apps"
        description="Each app deploys one git repository to its servers, one release folder per deploy."
        actions={
          admin ? (
            <Link href="/apps/new" className={buttonClass("primary")}>
              New app
            </Link>
          ) : null
        }
      />
      {apps.length === 0 ? (
        <EmptyState title="No apps yet">
          {admin ? (
            <Link className="text-indigo-600 underline" href="/apps/new">
              Create the first app
            </Link>
          ) : (
            "An administrator adds apps."
          )}
        </EmptyState>
      ) : (
        <AppCards apps={apps} />
      )}
    </>
  );
}
