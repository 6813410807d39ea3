import Anser, { type AnserJsonEntry } from "anser";

/** anser's entry; it also says whether reverse video (SGR 7) is on (its fg and bg are already swapped then). */
type Entry = AnserJsonEntry & { isInverted?: boolean };

/**
 * A deploy log as lines of styled segments: terminal colours and styles (SGR) parsed with anser, never shown
 * as escape codes. Pure (no DOM, no React): the log viewer renders the lines, tests check the conversion.
 */
export type Stream = "stdout" | "stderr" | "system";

export interface Style {
  /** A CSS colour, chosen to be readable on the log's dark background. */
  color?: string;
  background?: string;
  bold?: true;
  dim?: true;
  italic?: true;
  underline?: true;
  strike?: true;
}

export interface Segment {
  text: string;
  style: Style | null;
}

export interface LogLine {
  /** Its position in the log (0-based): a stable key and the search's address. */
  index: number;
  stream: Stream;
  stepId: string | null;
  segments: Segment[];
  /** The line's plain text (what search looks in). */
  text: string;
  /** stderr, or a Deckhand line reporting a failure: shown so it stands out. */
  error: boolean;
}

export interface ChunkIn {
  stream: Stream;
  stepId: string | null;
  text: string;
}

/** The 16 terminal colours, tuned for a slate-950 background: black and blue lifted so they can be read. */
const NAMED: Record<string, string> = {
  black: "#94a3b8",
  red: "#f87171",
  green: "#4ade80",
  yellow: "#facc15",
  blue: "#60a5fa",
  magenta: "#e879f9",
  cyan: "#22d3ee",
  white: "#e2e8f0",
  "bright-black": "#cbd5e1",
  "bright-red": "#fca5a5",
  "bright-green": "#86efac",
  "bright-yellow": "#fde047",
  "bright-blue": "#93c5fd",
  "bright-magenta": "#f0abfc",
  "bright-cyan": "#67e8f9",
  "bright-white": "#ffffff",
};
/** As backgrounds the true dark colours are kept (the text on them is light). */
const NAMED_BG: Record<string, string> = {
  black: "#000000",
  red: "#991b1b",
  green: "#166534",
  yellow: "#854d0e",
  blue: "#1e40af",
  magenta: "#86198f",
  cyan: "#155e75",
  white: "#cbd5e1",
  "bright-black": "#475569",
  "bright-red": "#dc2626",
  "bright-green": "#16a34a",
  "bright-yellow": "#ca8a04",
  "bright-blue": "#2563eb",
  "bright-magenta": "#c026d3",
  "bright-cyan": "#0891b2",
  "bright-white": "#f8fafc",
};
const NAMES = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];
const LIGHT_BG = new Set(["white", "bright-white", "bright-yellow", "bright-cyan", "bright-green"]);

/** xterm's 256-colour palette: 16 named, a 6×6×6 cube, 24 greys. */
function paletteRgb(n: number): [number, number, number] {
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return [v, v, v];
  }
  const c = n - 16;
  const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
  return [level(Math.floor(c / 36)), level(Math.floor(c / 6) % 6), level(c % 6)];
}

function namedOf(n: number): string {
  return n < 8 ? NAMES[n]! : `bright-${NAMES[n - 8]!}`;
}

/** A colour too dark to read on the dark background is lifted (keeps its hue roughly). */
function readableFg([r, g, b]: [number, number, number]): string {
  const luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  if (luma >= 90) return `rgb(${r}, ${g}, ${b})`;
  const lift = (x: number) => Math.round(x + (255 - x) * 0.45);
  return `rgb(${lift(r)}, ${lift(g)}, ${lift(b)})`;
}

function colourOf(cls: string | null, truecolor: string | null, asBackground: boolean): string | undefined {
  if (!cls) return undefined;
  if (cls === "ansi-truecolor" && truecolor) {
    const rgb = truecolor.split(",").map((v) => Number(v.trim())) as [number, number, number];
    return asBackground ? `rgb(${rgb.join(", ")})` : readableFg(rgb);
  }
  const palette = /^ansi-palette-(\d+)$/.exec(cls);
  if (palette) {
    const n = Number(palette[1]);
    if (n < 16) return (asBackground ? NAMED_BG : NAMED)[namedOf(n)];
    return asBackground ? `rgb(${paletteRgb(n).join(", ")})` : readableFg(paletteRgb(n));
  }
  return (asBackground ? NAMED_BG : NAMED)[cls.replace(/^ansi-/, "")];
}

const styleCache = new Map<string, Style | null>();

/** One Style object per distinct look (so lines share them and equal looks compare by identity). */
function styleOf(e: Entry): Style | null {
  const key = `${e.fg}|${e.fg_truecolor}|${e.bg}|${e.bg_truecolor}|${e.isInverted}|${e.decorations.join(",")}`;
  let style = styleCache.get(key);
  if (style === undefined) styleCache.set(key, (style = computeStyle(e)));
  return style;
}

function computeStyle(e: Entry): Style | null {
  const s: Style = {};
  const color = colourOf(e.fg, e.fg_truecolor, false);
  const background = colourOf(e.bg, e.bg_truecolor, true) ?? (e.isInverted && !e.fg ? "#e2e8f0" : undefined);
  if (color) s.color = color;
  if (background) {
    s.background = background;
    // Text on a light background (and default-coloured text on any background) stays readable.
    if (!e.fg) s.color = !e.bg || LIGHT_BG.has(e.bg.replace(/^ansi-/, "")) ? "#0f172a" : "#f8fafc";
  }
  for (const d of e.decorations) {
    if (d === "bold") s.bold = true;
    else if (d === "dim") s.dim = true;
    else if (d === "italic") s.italic = true;
    else if (d === "underline") s.underline = true;
    else if (d === "strikethrough") s.strike = true;
  }
  return Object.keys(s).length ? s : null;
}

const DECORATION_CODES: Record<string, number> = { bold: 1, dim: 2, italic: 3, underline: 4, blink: 5, hidden: 8, strikethrough: 9 };

function sgrColour(cls: string | null, truecolor: string | null, base: 30 | 40): string | null {
  if (!cls) return null;
  if (cls === "ansi-truecolor" && truecolor) return `${base + 8};2;${truecolor.replace(/\s+/g, "").replace(/,/g, ";")}`;
  const palette = /^ansi-palette-(\d+)$/.exec(cls);
  if (palette) return `${base + 8};5;${palette[1]}`;
  const name = cls.replace(/^ansi-/, "");
  const bright = name.startsWith("bright-");
  const i = NAMES.indexOf(bright ? name.slice(7) : name);
  return i < 0 ? null : String((bright ? base + 60 : base) + i);
}

/** The SGR sequence that puts a terminal back in the state an entry ended in: carried to the stream's next chunk. */
function carryOf(e: Entry | undefined): string {
  if (!e) return "";
  const [fg, fgT, bg, bgT] = e.isInverted ? [e.bg, e.bg_truecolor, e.fg, e.fg_truecolor] : [e.fg, e.fg_truecolor, e.bg, e.bg_truecolor];
  const codes = [
    ...e.decorations
      .map((d) => DECORATION_CODES[d])
      .filter((c): c is number => c !== undefined)
      .map(String),
    ...(e.isInverted ? ["7"] : []),
    sgrColour(fg, fgT, 30),
    sgrColour(bg, bgT, 40),
  ].filter((c): c is string => c !== null);
  return codes.length ? `\x1b[${codes.join(";")}m` : "";
}

/** Escape sequences that are not colours (titles, cursor moves, line erases): dropped, never shown (as in lib/deploy/ansi-text.ts). */
const NON_SGR = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?]*[A-Za-ln-z]|\x1b[()][A-Za-z0-9]|\x1b[=>78]/g;
/** Other control characters, except tab, newline, carriage return and ESC (SGR is parsed). */
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;

/** Deckhand's own lines that report a failure (the sink writes them as "system"). */
const SYSTEM_ERROR = /(^|\s)(✖|error|failed|timed out|not healthy|refused)\b/i;

function keyOf(c: ChunkIn): string {
  return `${c.stream}\u0000${c.stepId ?? ""}`;
}

/**
 * Turns log chunks, in the order they arrived, into lines. A line continues across chunks only while the
 * same stream of the same step goes on writing; when another stream (or step) writes, the open line ends, so
 * stdout and stderr keep their arrival order and never mix within one line. Colours carry across chunks of
 * one stream. A carriage return without a newline (a progress bar) keeps what was written after it.
 * Incremental: push() only parses what is new.
 */
export class LogLineBuilder {
  readonly lines: LogLine[] = [];
  private openKey: string | null = null;
  private carry = new Map<string, string>();
  private pendingCr = new WeakSet<LogLine>();

  push(chunks: Iterable<ChunkIn>): void {
    for (const c of chunks) this.pushOne(c);
  }

  private pushOne(c: ChunkIn): void {
    if (!c.text) return;
    const key = keyOf(c);
    const clean = c.text.replace(/\r+\n/g, "\n").replace(NON_SGR, "").replace(CONTROL, "");
    const entries: Entry[] = Anser.ansiToJson((this.carry.get(key) ?? "") + clean, { use_classes: true });
    this.carry.set(key, carryOf(entries.at(-1)));
    let line = this.openKey === key ? this.lines.at(-1)! : this.startLine(c);
    let byNewline = false;
    for (const e of entries) {
      if (!e.content) continue;
      const style = styleOf(e);
      e.content.split("\n").forEach((part, i) => {
        if (i > 0) {
          this.pendingCr.delete(line);
          line = this.startLine(c);
          byNewline = true;
        }
        if (part) {
          this.appendText(line, part, style);
          byNewline = false;
        }
      });
    }
    if (byNewline && line.segments.length === 0) {
      // The chunk ended with a newline: the line it opened holds nothing yet.
      this.lines.pop();
      this.openKey = null;
    } else {
      this.openKey = key;
    }
  }

  private startLine(c: ChunkIn): LogLine {
    const line: LogLine = { index: this.lines.length, stream: c.stream, stepId: c.stepId, segments: [], text: "", error: c.stream === "stderr" };
    this.lines.push(line);
    this.openKey = keyOf(c);
    return line;
  }

  private appendText(line: LogLine, text: string, style: Style | null): void {
    if (this.pendingCr.has(line)) {
      // The last write ended in "\r": this one starts the line again.
      this.pendingCr.delete(line);
      line.segments = [];
      line.text = "";
    }
    if (text.endsWith("\r")) {
      this.pendingCr.add(line);
      text = text.replace(/\r+$/, "");
    }
    const cr = text.lastIndexOf("\r");
    if (cr >= 0) {
      // "\r" rewinds to the line's start: only what follows the last one is shown.
      line.segments = [];
      line.text = "";
      text = text.slice(cr + 1);
    }
    if (!text) return;
    const last = line.segments.at(-1);
    if (last && sameStyle(last.style, style)) last.text += text;
    else line.segments.push({ text, style });
    line.text += text;
    this.finishLine(line);
  }

  private finishLine(line: LogLine): void {
    if (line.stream === "system") line.error = SYSTEM_ERROR.test(line.text);
  }
}

/** Styles come from styleOf's cache: one object per look. */
function sameStyle(a: Style | null, b: Style | null): boolean {
  return a === b;
}

/** Lines from chunks, all at once (tests, a finished deploy). */
export function linesOf(chunks: Iterable<ChunkIn>): LogLine[] {
  const b = new LogLineBuilder();
  b.push(chunks);
  return b.lines;
}

/** Every match of `query` (case-insensitive, as typed), as [line index, start, end] in the lines' plain text. */
export function findMatches(lines: readonly LogLine[], query: string): { line: number; start: number; end: number }[] {
  if (!query) return [];
  const q = query.toLowerCase();
  const out: { line: number; start: number; end: number }[] = [];
  for (const l of lines) {
    const t = l.text.toLowerCase();
    for (let i = t.indexOf(q); i >= 0; i = t.indexOf(q, i + q.length)) out.push({ line: l.index, start: i, end: i + q.length });
  }
  return out;
}
