/** Pure planning: which targets go together, and which release folders a cleanup may delete. */

export function rolloutBatches<T>(targets: T[], strategy: "parallel" | "rolling", batchSize: number): T[][] {
  if (strategy === "parallel" || targets.length === 0) return targets.length ? [targets] : [];
  const size = Math.max(1, Math.floor(batchSize));
  const batches: T[][] = [];
  for (let i = 0; i < targets.length; i += size) batches.push(targets.slice(i, i + size));
  return batches;
}

/**
 * Keeps the `keep` newest successful releases, and never `current` or the previous good one; everything
 * else on disk that looks like a release folder goes (failed and interrupted builds included).
 */
export function releasesToDelete(input: { onDisk: string[]; succeededNewestFirst: string[]; keep: number; current: string | null; previousGood: string | null }): string[] {
  const keep = new Set(input.succeededNewestFirst.slice(0, Math.max(1, input.keep)));
  if (input.current) keep.add(input.current);
  if (input.previousGood) keep.add(input.previousGood);
  return input.onDisk.filter((dir) => !keep.has(dir)).sort();
}
