import { redirect } from "next/navigation";

/** The alert channels live under Settings; old links and bookmarks land there. */
export default function AlertsPage() {
  redirect("/settings/alerts");
}
