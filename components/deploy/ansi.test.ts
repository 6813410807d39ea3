import { describe, expect, it } from "vitest";
import { stripAnsi } from "@/lib/deploy/ansi-text";
import { findMatches, linesOf, type ChunkIn } from "./ansi";

const out = (text: string, stepId: string | null = "s1"): ChunkIn => ({ stream: "stdout", stepId, text });
const err = (text: string, stepId: string | null = "s1"): ChunkIn => ({ stream: "stderr", stepId, text });
const sys = (text: string): ChunkIn => ({ stream: "system", stepId: null, text });

describe("ANSI → styled lines", () => {
  it("parses colours and styles into segments; no escape code is left in any text", () => {
    const [line] = linesOf([out("plain \x1b[31mred\x1b[0m \x1b[1;32mbold green\x1b[0m \x1b[3;4mit-ul\x1b[0m\n")]);
    expect(line!.text).toBe("plain red bold green it-ul");
    expect(line!.segments).toEqual([
      { text: "plain ", style: null },
      { text: "red", style: { color: "#f87171" } },
      { text: " ", style: null },
      { text: "bold green", style: { color: "#4ade80", bold: true } },
      { text: " ", style: null },
      { text: "it-ul", style: { italic: true, underline: true } },
    ]);
    expect(JSON.stringify(line)).not.toContain("\\u001b");
  });

  it("256-colour and truecolour; dark colours lifted to be readable on the dark log, backgrounds get readable text", () => {
    const [line] = linesOf([out("\x1b[38;5;208mo\x1b[38;2;10;10;40md\x1b[0m\x1b[30mk\x1b[0m\x1b[47mw\x1b[0m\x1b[44mb\x1b[0m\n")]);
    const styles = line!.segments.map((s) => s.style);
    expect(styles[0]).toEqual({ color: "rgb(255, 135, 0)" });
    expect(styles[1]!.color).not.toBe("rgb(10, 10, 40)");
    expect(styles[2]).toEqual({ color: "#94a3b8" });
    expect(styles[3]).toEqual({ background: "#cbd5e1", color: "#0f172a" });
    expect(styles[4]).toEqual({ background: "#1e40af", color: "#f8fafc" });
  });

  it("a colour set in one chunk carries into the stream's next chunk, and across lines", () => {
    const lines = linesOf([out("\x1b[33mwarn: a"), out("nd more\nnext line\x1b[0m done\n")]);
    expect(lines.map((l) => l.text)).toEqual(["warn: and more", "next line done"]);
    expect(lines[0]!.segments).toEqual([{ text: "warn: and more", style: { color: "#facc15" } }]);
    expect(lines[1]!.segments).toEqual([
      { text: "next line", style: { color: "#facc15" } },
      { text: " done", style: null },
    ]);
  });

  it("stdout and stderr keep their arrival order and never share a line; stderr lines are marked as errors", () => {
    const lines = linesOf([out("out 1\nout 2 partial"), err("err 1\n"), out(" rest\n"), err("err 2\n"), out("out 3\n")]);
    expect(lines.map((l) => [l.stream, l.text, l.error])).toEqual([
      ["stdout", "out 1", false],
      ["stdout", "out 2 partial", false],
      ["stderr", "err 1", true],
      ["stdout", " rest", false],
      ["stderr", "err 2", true],
      ["stdout", "out 3", false],
    ]);
    expect(lines.map((l) => l.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("drops non-colour escapes (title, erase line, cursor), keeps blank lines, and handles \\r progress and CRLF", () => {
    const lines = linesOf([out("\x1b]0;title\x07a\x1b[2K\x1b[1Gb\n\nprogress 10%\rprogress 99%\r"), out("progress 100%\r\nwin\r\n")]);
    expect(lines.map((l) => l.text)).toEqual(["ab", "", "progress 100%", "win"]);
  });

  it("marks Deckhand's failure lines as errors, not its other lines", () => {
    const lines = linesOf([sys("▶ build on web-1\n"), sys("✖ build failed on web-1: exited with 1\n")]);
    expect(lines.map((l) => l.error)).toEqual([false, true]);
  });

  it("a line continues only within one step: another step's output starts a new line", () => {
    const lines = linesOf([out("a", "s1"), out("b", "s2"), out("c\n", "s1")]);
    expect(lines.map((l) => l.text)).toEqual(["a", "b", "c"]);
  });

  it("finds matches case-insensitively, several per line", () => {
    const lines = linesOf([out("Error here, error there\nnothing\nERROR\n")]);
    expect(findMatches(lines, "error")).toEqual([
      { line: 0, start: 0, end: 5 },
      { line: 0, start: 12, end: 17 },
      { line: 2, start: 0, end: 5 },
    ]);
    expect(findMatches(lines, "")).toEqual([]);
  });

  it("strips every escape for the plain download", () => {
    expect(stripAnsi("\x1b[1;31mred\x1b[0m \x1b]0;t\x07ok\x1b[K\n")).toBe("red ok\n");
  });

  it("5 MiB of coloured output becomes lines in a few seconds at most (about 1 s on one loaded core)", () => {
    const chunk = Array.from({ length: 200 }, (_, i) => `\x1b[32m✔\x1b[0m step ${i} \x1b[2m(${i} ms)\x1b[0m compiled module number ${i}\n`).join("");
    const chunks: ChunkIn[] = [];
    for (let size = 0; size < 5 * 1024 * 1024; size += chunk.length) chunks.push(out(chunk));
    const t = performance.now();
    const lines = linesOf(chunks);
    expect(performance.now() - t).toBeLessThan(5_000);
    expect(lines.length).toBeGreaterThan(50_000);
    expect(lines.every((l) => !l.text.includes("\x1b"))).toBe(true);
  });
});
