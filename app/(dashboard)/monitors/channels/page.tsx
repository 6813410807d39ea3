import { redirect } from "next/navigation";

/** The channels moved to Settings → Alerts; old links and bookmarks land there. */
export default function ChannelsPage() {
  redirect("/settings/alerts");
}
