import { redirect } from "next/navigation";

/** The channels moved to the Alerts page; old links and bookmarks land there. */
export default function ChannelsPage() {
  redirect("/alerts");
}
