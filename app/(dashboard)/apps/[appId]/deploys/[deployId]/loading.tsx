import { Card } from "@/components/ui/card";
import { Bone, HeaderSkeleton, PageSkeleton } from "@/components/ui/skeleton";

/** The deploy page's shape: its status bar, its steps and the log pane. */
export default function Loading() {
  return (
    <PageSkeleton label="the deploy">
      <HeaderSkeleton />
      <div className="space-y-4">
        <Card padding="sm" className="flex flex-wrap items-center gap-3">
          <Bone className="h-6 w-20" />
          <Bone className="h-4 w-48" />
          <Bone className="ml-auto h-4 w-24" />
        </Card>
        <Card padding="sm" className="space-y-2">
          {Array.from({ length: 5 }, (_, i) => (
            <Bone key={i} className="h-5 w-full" />
          ))}
        </Card>
        <Bone className="h-96 w-full rounded-xl" />
      </div>
    </PageSkeleton>
  );
}
