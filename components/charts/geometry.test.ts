import { describe, expect, it } from "vitest";
import { clusterMarkers, degradedBands, deployWindows, downBands, inBand, maintenanceBands, placePoint, pointSpan } from "./geometry";

const H = 3_600_000;
const M = 60_000;

describe("placePoint", () => {
  it("draws a whole bucket at its middle", () => {
    expect(placePoint(14 * H, H, 0, 24 * H)).toBe(14.5 * H);
  });

  it("draws the bucket still filling at the middle of what has passed, the first one at the middle of what is shown", () => {
    expect(placePoint(14 * H, H, 0, 14 * H + 20 * M)).toBe(14 * H + 10 * M);
    expect(placePoint(9 * H, H, 9 * H + 30 * M, 24 * H)).toBe(9 * H + 45 * M);
  });

  it("leaves a raw check at its own time", () => {
    expect(placePoint(14 * H + 7_000, null, 0, 24 * H)).toBe(14 * H + 7_000);
  });
});

describe("pointSpan", () => {
  const pts = [
    { t: 0, checks: 1, failures: 0 },
    { t: 10_000, checks: 1, failures: 1 },
  ];
  it("a bucket spans its size, cut at the end of the range", () => {
    expect(pointSpan(pts, 0, H, 24 * H)).toEqual({ start: 0, end: H });
    expect(pointSpan(pts, 1, H, 30 * M)).toEqual({ start: 10_000, end: 30 * M });
  });
  it("a raw check spans until the next check, the last until the end", () => {
    expect(pointSpan(pts, 0, null, 60_000)).toEqual({ start: 0, end: 10_000 });
    expect(pointSpan(pts, 1, null, 60_000)).toEqual({ start: 10_000, end: 60_000 });
  });
});

describe("downBands", () => {
  it("merges consecutive failing buckets into one band and keeps the share that failed", () => {
    const pts = [
      { t: 0, checks: 60, failures: 0 },
      { t: H, checks: 60, failures: 60 },
      { t: 2 * H, checks: 60, failures: 30 },
      { t: 3 * H, checks: 60, failures: 0 },
      { t: 4 * H, checks: 60, failures: 6 },
    ];
    expect(downBands(pts, H, 0, 5 * H)).toEqual([
      { start: H, end: 3 * H, checks: 120, failures: 90 },
      { start: 4 * H, end: 5 * H, checks: 60, failures: 6 },
    ]);
  });

  it("does not bridge a gap of missing buckets (no checks is not down)", () => {
    const pts = [
      { t: 0, checks: 60, failures: 60 },
      { t: 2 * H, checks: 60, failures: 60 },
    ];
    expect(downBands(pts, H, 0, 3 * H)).toHaveLength(2);
  });

  it("shades raw failures until the check that came back up, an ongoing one until now", () => {
    const pts = [
      { t: 0, checks: 1, failures: 0 },
      { t: 10, checks: 1, failures: 1 },
      { t: 20, checks: 1, failures: 1 },
      { t: 30, checks: 1, failures: 0 },
      { t: 40, checks: 1, failures: 1 },
    ];
    expect(downBands(pts, null, 0, 55)).toEqual([
      { start: 10, end: 30, checks: 2, failures: 2 },
      { start: 40, end: 55, checks: 1, failures: 1 },
    ]);
  });

  it("cuts bands to the range shown", () => {
    const pts = [{ t: 0, checks: 60, failures: 60 }];
    expect(downBands(pts, H, 30 * M, 24 * H)).toEqual([{ start: 30 * M, end: H, checks: 60, failures: 60 }]);
    expect(downBands([], H, 0, H)).toEqual([]);
  });
});

describe("clusterMarkers", () => {
  const opts = { from: 0, to: 1_000_000, widthPx: 1000, minGapPx: 16 };
  it("joins markers closer than the gap, with the cluster drawn between its first and last", () => {
    const markers = [
      { id: "c", t: 500_000 },
      { id: "a", t: 100_000 },
      { id: "b", t: 110_000 },
    ];
    const clusters = clusterMarkers(markers, opts);
    expect(clusters.map((c) => c.markers.map((m) => m.id))).toEqual([["a", "b"], ["c"]]);
    expect(clusters[0]!.t).toBe(105_000);
    expect(clusters[1]!.t).toBe(500_000);
  });

  it("never lets a cluster grow wider than the gap: a steady stream makes several", () => {
    const markers = Array.from({ length: 10 }, (_, i) => ({ t: i * 10_000 }));
    const clusters = clusterMarkers(markers, opts);
    expect(clusters.map((c) => c.markers.length)).toEqual([2, 2, 2, 2, 2]);
  });

  it("the gap is in pixels: a narrower chart clusters more", () => {
    const markers = [{ t: 0 }, { t: 20_000 }];
    expect(clusterMarkers(markers, opts)).toHaveLength(2);
    expect(clusterMarkers(markers, { ...opts, widthPx: 300 })).toHaveLength(1);
    expect(clusterMarkers([], opts)).toEqual([]);
  });
});

describe("deployWindows", () => {
  it("goes from start to finish, a running deploy until now, cut to the range", () => {
    expect(
      deployWindows(
        [
          { start: 10, end: 20 },
          { start: 50, end: null },
          { start: -10, end: 5 },
          { start: -20, end: -5 },
        ],
        0,
        60,
      ),
    ).toEqual([
      { start: 10, end: 20 },
      { start: 50, end: 60 },
      { start: 0, end: 5 },
    ]);
  });
});

describe("maintenanceBands", () => {
  it("cuts windows to the range, drops the ones outside it, and merges overlapping ones", () => {
    expect(
      maintenanceBands(
        [
          { start: 50, end: 120 },
          { start: 0, end: 20 },
          { start: 300, end: 400 },
          { start: 110, end: 150 },
        ],
        10,
        200,
      ),
    ).toEqual([
      { start: 10, end: 20 },
      { start: 50, end: 150 },
    ]);
    expect(maintenanceBands([], 0, 100)).toEqual([]);
  });
});

describe("degradedBands", () => {
  it("cuts runs to the range, drops the ones outside it, merges touching runs and adds their counts", () => {
    const runs = [
      { start: 300, end: 400, checks: 2 },
      { start: 0, end: 20, checks: 1 },
      { start: 50, end: 100, checks: 5 },
      { start: 100, end: 130, checks: 3 },
      { start: 500, end: 600, checks: 9 },
    ];
    expect(degradedBands(runs, 10, 350)).toEqual([
      { start: 10, end: 20, checks: 1 },
      { start: 50, end: 130, checks: 8 },
      { start: 300, end: 350, checks: 2 },
    ]);
    expect(runs[2]).toEqual({ start: 50, end: 100, checks: 5 });
  });

  it("an ongoing run (ending at the range's end) stays a band; an empty range has none", () => {
    expect(degradedBands([{ start: 90, end: 100, checks: 1 }], 0, 100)).toEqual([{ start: 90, end: 100, checks: 1 }]);
    expect(degradedBands([{ start: 90, end: 100, checks: 1 }], 100, 200)).toEqual([]);
  });

  it("inBand: a bucket meets a band it overlaps, a raw check one that covers its instant", () => {
    const bands = [{ start: 100, end: 200 }];
    expect(inBand(bands, 0, 100)).toBe(false);
    expect(inBand(bands, 0, 101)).toBe(true);
    expect(inBand(bands, 150, 150)).toBe(true);
    expect(inBand(bands, 200, 200)).toBe(false);
    expect(inBand(bands, 100, 100)).toBe(true);
  });
});
