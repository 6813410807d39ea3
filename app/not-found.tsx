import Link from "next/link";
import { buttonClass } from "@/components/ui/form";
import { StatusPage } from "@/components/ui/status-page";

export const metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <StatusPage
      code="404"
      title="There is nothing here"
      actions={
        <Link href="/" className={buttonClass("primary")}>
          Go to the overview
        </Link>
      }
    >
      <p>The page does not exist, or your role does not let you see it. A link to something deleted ends here too.</p>
    </StatusPage>
  );
}
