import type { DeployJson } from "@/lib/actions/wire";
import type { DeployView } from "@/lib/queries/deploys";

function epochMs(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}

/** A deploy as the stream sends it (the API's JSON, ISO times), back into the page's shape (epoch ms). */
export function deployFromStream(d: DeployJson): DeployView {
  return {
    ...d,
    createdAt: Date.parse(d.createdAt),
    committedAt: epochMs(d.committedAt),
    startedAt: epochMs(d.startedAt),
    finishedAt: epochMs(d.finishedAt),
    decidedAt: epochMs(d.decidedAt),
    steps: d.steps.map((s) => ({ ...s, startedAt: epochMs(s.startedAt), finishedAt: epochMs(s.finishedAt) })),
  };
}
