"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useId, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode, type RefObject } from "react";
import { findMatches, LogLineBuilder, type ChunkIn, type LogLine, type Segment, type Style } from "./ansi";

const ROW_PX = 20;

type Match = { line: number; start: number; end: number };

function cssOf(style: Style | null): CSSProperties | undefined {
  if (!style) return undefined;
  const decoration = [style.underline ? "underline" : "", style.strike ? "line-through" : ""].filter(Boolean).join(" ");
  return {
    color: style.color,
    backgroundColor: style.background,
    fontWeight: style.bold ? 700 : undefined,
    opacity: style.dim ? 0.7 : undefined,
    fontStyle: style.italic ? "italic" : undefined,
    textDecoration: decoration || undefined,
  };
}

/** A line's segments, cut where search matches begin and end so each match is wrapped in a <mark>. */
function renderLine(line: LogLine, matches: Match[] | undefined, current: Match | null): ReactNode[] {
  const out: ReactNode[] = [];
  let pos = 0;
  let k = 0;
  for (const seg of line.segments) {
    const segStart = pos;
    const segEnd = pos + seg.text.length;
    let cut = segStart;
    for (const m of matches ?? []) {
      if (m.end <= cut || m.start >= segEnd) continue;
      const from = Math.max(m.start, cut);
      const to = Math.min(m.end, segEnd);
      if (from > cut) out.push(piece(seg, cut - segStart, from - segStart, k++));
      const isCurrent = current !== null && current.line === m.line && current.start === m.start;
      out.push(
        <mark key={k++} data-testid={isCurrent ? "log-match-current" : "log-match"} className={isCurrent ? "rounded-sm bg-orange-400 text-slate-950" : "rounded-sm bg-yellow-200 text-slate-950"}>
          {seg.text.slice(from - segStart, to - segStart)}
        </mark>,
      );
      cut = to;
    }
    if (cut < segEnd) out.push(piece(seg, cut - segStart, segEnd - segStart, k++));
    pos = segEnd;
  }
  return out;
}

function piece(seg: Segment, from: number, to: number, key: number): ReactNode {
  const text = seg.text.slice(from, to);
  return seg.style ? (
    <span key={key} style={cssOf(seg.style)} data-ansi="">
      {text}
    </span>
  ) : (
    <span key={key}>{text}</span>
  );
}

function lineClass(line: LogLine): string {
  if (line.stream === "stderr") return "border-l-2 border-amber-400 bg-amber-500/10 pl-2 text-amber-200";
  if (line.error) return "border-l-2 border-rose-500 bg-rose-500/15 pl-2 font-semibold text-rose-300";
  if (line.stream === "system") return "border-l-2 border-transparent pl-2 text-sky-300";
  return "border-l-2 border-transparent pl-2";
}

function LogToolbar(p: {
  lineCount: number;
  truncated: boolean;
  live: boolean;
  follow: boolean;
  setFollow: (v: boolean) => void;
  deployId: string;
  searchBox: RefObject<HTMLInputElement | null>;
  query: string;
  onQuery: (q: string) => void;
  onSearchKey: (e: KeyboardEvent<HTMLInputElement>) => void;
  position: string;
  hasMatches: boolean;
  go: (delta: number) => void;
}) {
  const { lineCount, truncated, live, follow, setFollow, deployId, searchBox, query, onQuery, onSearchKey, position, hasMatches, go } = p;
  const searchId = useId();
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5 border-b border-slate-800 px-3 py-1.5 text-xs text-slate-400">
      <span>
        Log{truncated ? " (truncated)" : ""} · <span data-testid="log-line-count">{lineCount.toLocaleString("en")}</span> lines
      </span>
      <span className="ml-auto flex flex-wrap items-center gap-2" role="search">
        <label htmlFor={searchId} className="sr-only">
          Search the log
        </label>
        <input
          ref={searchBox}
          id={searchId}
          type="search"
          data-testid="log-search"
          value={query}
          onChange={(e) => onQuery(e.target.value)}
          onKeyDown={onSearchKey}
          placeholder="Search log (/)"
          className="w-40 rounded border border-slate-700 bg-slate-900 px-2 py-0.5 text-slate-100 placeholder:text-slate-500 focus:outline-none focus:ring-2 focus:ring-indigo-400"
        />
        <span aria-live="polite" data-testid="log-search-count" className="min-w-[4.5rem] tabular-nums">
          {position}
        </span>
        <button type="button" className="rounded px-1.5 py-0.5 hover:bg-slate-800 disabled:opacity-40" onClick={() => go(-1)} disabled={!hasMatches} aria-label="Previous match" title="Previous match (Shift+Enter)">
          ↑
        </button>
        <button type="button" className="rounded px-1.5 py-0.5 hover:bg-slate-800 disabled:opacity-40" onClick={() => go(1)} disabled={!hasMatches} aria-label="Next match" title="Next match (Enter)">
          ↓
        </button>
        {live ? (
          <label className="flex items-center gap-1">
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} data-testid="log-follow" /> follow
          </label>
        ) : null}
        <a className="underline hover:text-slate-200" href={`/api/v1/deploys/${deployId}/log?download=true`} download data-testid="log-download" title="The log as plain text, colour codes removed">
          download
        </a>
        <a className="underline hover:text-slate-200" href={`/api/v1/deploys/${deployId}/log?download=true&ansi=keep`} download title="The log with its colour codes, for less -R or a terminal">
          with colours
        </a>
      </span>
    </div>
  );
}

/**
 * A deploy's log: ANSI colours rendered, stdout and stderr in the order they arrived (stderr and failures
 * marked), search with next/previous, download. Only the rows in view are in the DOM (virtualised), so a
 * 5 MiB log stays responsive; while the deploy is live the view follows the tail until the reader scrolls up.
 */
export function LogViewer({ chunks, live, deployId, truncated }: { chunks: readonly (ChunkIn & { id: string })[]; live: boolean; deployId: string; truncated: boolean }) {
  const builder = useRef(new LogLineBuilder());
  const consumed = useRef(0);
  const lines = useMemo(() => {
    // Chunks only ever grow at the end: parse the new ones.
    builder.current.push(chunks.slice(consumed.current));
    consumed.current = chunks.length;
    return builder.current.lines.slice();
  }, [chunks]);

  const scroller = useRef<HTMLDivElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const [follow, setFollow] = useState(true);
  const [query, setQuery] = useState("");
  const [at, setAt] = useState(0);

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's functions are not memoizable; no React Compiler runs here
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 20 });

  const matches = useMemo(() => findMatches(lines, query), [lines, query]);
  const byLine = useMemo(() => {
    const map = new Map<number, Match[]>();
    for (const m of matches) map.set(m.line, [...(map.get(m.line) ?? []), m]);
    return map;
  }, [matches]);
  const current = matches.length ? matches[Math.min(at, matches.length - 1)]! : null;

  useEffect(() => {
    if (follow && live && lines.length) virtualizer.scrollToIndex(lines.length - 1, { align: "end" });
  }, [lines.length, follow, live, virtualizer]);

  const go = useCallback(
    (delta: number) => {
      if (!matches.length) return;
      const next = (Math.min(at, matches.length - 1) + delta + matches.length) % matches.length;
      setAt(next);
      setFollow(false);
      virtualizer.scrollToIndex(matches[next]!.line, { align: "center" });
    },
    [at, matches, virtualizer],
  );

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" || e.key === "F3") {
      e.preventDefault();
      go(e.shiftKey ? -1 : 1);
    } else if (e.key === "Escape") {
      setQuery("");
      setAt(0);
    }
  };

  const onLogKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if ((e.key === "f" && (e.ctrlKey || e.metaKey)) || e.key === "/") {
      e.preventDefault();
      searchBox.current?.focus();
      searchBox.current?.select();
    } else if (e.key === "n" || e.key === "N") {
      go(e.shiftKey || e.key === "N" ? -1 : 1);
    }
  };

  const onScroll = () => {
    const el = scroller.current;
    if (!el || !live) return;
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_PX * 2;
    if (atBottom !== follow) setFollow(atBottom);
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div className="rounded-xl bg-slate-950 shadow-sm">
      <LogToolbar
        lineCount={lines.length}
        truncated={truncated}
        live={live}
        follow={follow}
        setFollow={setFollow}
        deployId={deployId}
        searchBox={searchBox}
        query={query}
        onQuery={(q) => {
          setQuery(q);
          setAt(0);
        }}
        onSearchKey={onSearchKey}
        position={query ? (matches.length ? `${Math.min(at, matches.length - 1) + 1} of ${matches.length}` : "no match") : ""}
        hasMatches={matches.length > 0}
        go={go}
      />
      <div
        ref={scroller}
        data-testid="deploy-log"
        tabIndex={0}
        role="log"
        aria-label="Deploy log"
        onKeyDown={onLogKey}
        onScroll={onScroll}
        className="h-[32rem] overflow-auto font-mono text-xs leading-5 text-slate-200 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400"
      >
        {lines.length === 0 ? (
          <p className="p-3 text-slate-500">{live ? "Waiting for a worker to pick this up…" : "No output."}</p>
        ) : (
          <div className="relative min-w-full" style={{ height: virtualizer.getTotalSize() + 24 }}>
            <div className="absolute left-0 top-0 min-w-full py-3 pr-3" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
              {items.map((item) => {
                const line = lines[item.index]!;
                return (
                  <div key={item.key} data-index={item.index} data-testid="log-line" data-stream={line.stream} data-error={line.error ? "true" : undefined} className={`whitespace-pre ${lineClass(line)}`} style={{ height: ROW_PX }}>
                    {line.segments.length ? renderLine(line, byLine.get(line.index), current) : " "}
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
