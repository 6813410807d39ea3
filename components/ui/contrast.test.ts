import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Text against the backgrounds it is drawn on, in both themes, from the real palette: Tailwind's theme.css with
 * app/dark-palette.css on top (the light overrides in :root, the dark remap in .dark). WCAG AA asks 4.5:1.
 */
const root = path.resolve(import.meta.dirname, "..", "..");
const tailwind = readFileSync(path.join(root, "node_modules/tailwindcss/theme.css"), "utf8");
const ours = readFileSync(path.join(root, "app/dark-palette.css"), "utf8");

function block(css: string, selector: string): string {
  const start = css.search(new RegExp(`^${selector.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\{`, "m"));
  if (start < 0) throw new Error(`no ${selector} block`);
  return css.slice(start, css.indexOf("}", start));
}

function vars(css: string): Map<string, string> {
  return new Map([...css.matchAll(/--color-([a-z]+(?:-\d+)?):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

const base = vars(tailwind);
const light = new Map([...base, ...vars(block(ours, ":root"))]);
const dark = new Map([...light, ...vars(block(ours, ".dark"))]);

/** Relative luminance of an `oklch(L% C H)` or `#rgb`/`#rrggbb` colour (OKLab → linear sRGB, clipped). */
function luminance(value: string): number {
  let rgb: number[];
  const ok = /^oklch\(([\d.]+)% ([\d.]+) ([\d.]+)\)$/.exec(value);
  if (ok) {
    const [L, C, H] = [Number(ok[1]) / 100, Number(ok[2]), (Number(ok[3]) * Math.PI) / 180];
    const a = C * Math.cos(H);
    const b = C * Math.sin(H);
    const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
    const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
    const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
    rgb = [4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s, -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s, -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s];
  } else {
    const hex = value.replace("#", "");
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
    rgb = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  }
  const [r, g, b] = rgb.map((c) => Math.min(1, Math.max(0, c)));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(palette: Map<string, string>, fg: string, bg: string): number {
  const [f, b] = [fg, bg].map((name) => {
    const v = palette.get(name);
    if (!v) throw new Error(`no colour ${name}`);
    return luminance(v);
  });
  return (Math.max(f!, b!) + 0.05) / (Math.min(f!, b!) + 0.05);
}

// [text, background]: page and card text, hints, links, filled buttons, every badge tone, error messages.
const PAIRS: [string, string][] = [
  ...["slate-900", "slate-700", "slate-600", "slate-500", "slate-400", "indigo-600", "indigo-700", "rose-700", "emerald-700", "amber-700"].flatMap((fg): [string, string][] => [
    [fg, "white"],
    [fg, "slate-50"],
  ]),
  ["slate-900", "slate-100"],
  ["slate-600", "slate-100"],
  ["white", "indigo-600"],
  ["white", "rose-600"],
  ["emerald-700", "emerald-50"],
  ["sky-700", "sky-50"],
  ["amber-700", "amber-50"],
  ["amber-800", "amber-50"],
  ["rose-700", "rose-50"],
  ["rose-800", "rose-100"],
  ["violet-700", "violet-50"],
  ["slate-600", "slate-50"],
  ["slate-500", "slate-50"],
  ["slate-400", "slate-50"],
];

describe("text contrast (WCAG AA)", () => {
  for (const [theme, palette] of [
    ["light", light],
    ["dark", dark],
  ] as const) {
    it(`${theme}: every text colour on its backgrounds is at least 4.5:1`, () => {
      const failing = PAIRS.map(([fg, bg]) => ({ pair: `${fg} on ${bg}`, ratio: contrast(palette, fg, bg) }))
        .filter((p) => p.ratio < 4.5)
        .map((p) => `${p.pair}: ${p.ratio.toFixed(2)}`);
      expect(failing).toEqual([]);
    });
  }

  it("the dark theme is dark: cards and the page are darker than their text", () => {
    expect(luminance(dark.get("white")!)).toBeLessThan(0.05);
    expect(luminance(dark.get("slate-50")!)).toBeLessThan(luminance(dark.get("white")!));
    expect(luminance(dark.get("slate-900")!)).toBeGreaterThan(0.8);
  });
});
