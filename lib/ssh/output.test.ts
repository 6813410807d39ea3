import { describe, expect, it } from "vitest";
import { MARKER_SEARCH_LIMIT, OutputCallback, OutputStream, PidAnnouncement } from "./output";

const MARKER = "deckhand-pid-0123456789abcdef:";

/** Feeds chunks through a fresh announcement; returns the stdout passed on, every pid reported, and what end() released. */
function feed(chunks: readonly (string | Buffer)[], announcement = new PidAnnouncement(MARKER)) {
  const passed: Buffer[] = [];
  const pids: number[] = [];
  for (const chunk of chunks) {
    const { output, pid } = announcement.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    passed.push(...output);
    if (pid !== null) pids.push(pid);
  }
  const released = announcement.end();
  return { stdout: Buffer.concat(passed).toString(), pids, released: Buffer.concat(released).toString(), parts: passed.length };
}

describe("PidAnnouncement", () => {
  it("wraps the command so the shell prints the marker and its own pid first", () => {
    expect(new PidAnnouncement(MARKER).wrap("echo hi")).toBe(`printf '%s%s\\n' '${MARKER}' "$$"\necho hi`);
  });

  it("each announcement gets its own random marker", () => {
    const a = new PidAnnouncement();
    const b = new PidAnnouncement();
    expect(a.marker).toMatch(/^deckhand-pid-[0-9a-f]{16}:$/);
    expect(a.marker).not.toBe(b.marker);
  });

  it("cuts the announcement line out and reports the pid", () => {
    const result = feed([`${MARKER}4242\nhello\n`]);
    expect(result).toMatchObject({ stdout: "hello\n", pids: [4242], released: "" });
  });

  it("finds a marker split across chunks, even one byte at a time", () => {
    const line = `${MARKER}31337\n`;
    expect(feed([line.slice(0, 7), line.slice(7, 20), line.slice(20), "after\n"])).toMatchObject({ stdout: "after\n", pids: [31337] });
    expect(feed([...line.split(""), "x"])).toMatchObject({ stdout: "x", pids: [31337], released: "" });
  });

  it("holds output until the announcement line is complete, then passes on what came before and after it", () => {
    const announcement = new PidAnnouncement(MARKER);
    expect(announcement.push(Buffer.from("motd line\n"))).toEqual({ output: [], pid: null });
    expect(announcement.push(Buffer.from(`${MARKER}77`))).toEqual({ output: [], pid: null });
    const { output, pid } = announcement.push(Buffer.from("\nfirst output"));
    expect(pid).toBe(77);
    expect(output.map((part) => part.toString())).toEqual(["motd line\n", "first output"]);
    // Once found, stdout passes straight through, marker look-alikes included.
    expect(announcement.push(Buffer.from(`${MARKER}99\n`))).toEqual({ output: [Buffer.from(`${MARKER}99\n`)], pid: null });
  });

  it("passes no empty parts on", () => {
    expect(feed([`${MARKER}5\n`])).toMatchObject({ stdout: "", pids: [5], parts: 0 });
  });

  it("strips a malformed announcement but reports no pid", () => {
    for (const announced of ["0", "abc", "12345678901", "-1", ""]) {
      expect(feed([`${MARKER}${announced}\nrest`])).toMatchObject({ stdout: "rest", pids: [] });
    }
  });

  it("gives up when no marker appears within the search limit and passes everything on", () => {
    const announcement = new PidAnnouncement(MARKER, 10);
    expect(announcement.push(Buffer.from("0123456789"))).toEqual({ output: [], pid: null });
    const { output, pid } = announcement.push(Buffer.from("a"));
    expect(pid).toBeNull();
    expect(Buffer.concat(output).toString()).toBe("0123456789a");
    // The marker is no longer looked for.
    expect(announcement.push(Buffer.from(`${MARKER}1\n`)).output.map(String)).toEqual([`${MARKER}1\n`]);
    expect(announcement.end()).toEqual([]);
  });

  it("the default search limit is 64 KiB of start-up output", () => {
    const noise = Buffer.alloc(MARKER_SEARCH_LIMIT, "n");
    expect(feed([noise, `${MARKER}8\nout`])).toMatchObject({ stdout: `${noise.toString()}out`, pids: [8] });
    expect(feed([noise, "n", `${MARKER}8\n`])).toMatchObject({ stdout: `${noise.toString()}n${MARKER}8\n`, pids: [] });
  });

  it("a marker whose line never ends is held until end() and released unchanged", () => {
    expect(feed(["before ", `${MARKER}123`])).toEqual({ stdout: "", pids: [], released: `before ${MARKER}123`, parts: 0 });
  });

  it("end() without any output releases nothing", () => {
    expect(new PidAnnouncement(MARKER).end()).toEqual([]);
  });
});

describe("OutputStream", () => {
  it("emits a multi-byte character only once all its bytes are there", () => {
    const emitted: string[] = [];
    const stream = new OutputStream(1024, (text) => emitted.push(text));
    for (const byte of Buffer.from("🚀é")) stream.push(Buffer.from([byte]));
    stream.end();
    expect(emitted).toEqual(["🚀", "é"]);
    expect(stream.text()).toBe("🚀é");
    expect(stream.truncated).toBe(false);
  });

  it("keeps at most the limit, never half a character, but emits everything", () => {
    const emitted: string[] = [];
    const stream = new OutputStream(2, (text) => emitted.push(text));
    stream.push(Buffer.from("aé"));
    stream.push(Buffer.from("bc"));
    stream.end();
    expect(emitted.join("")).toBe("aébc");
    expect(stream.text()).toBe("a");
    expect(stream.truncated).toBe(true);
  });

  it("copies what it keeps, so a reused buffer does not change the result", () => {
    const stream = new OutputStream(16, () => undefined);
    const chunk = Buffer.from("abc");
    stream.push(chunk);
    chunk.write("xyz");
    expect(stream.text()).toBe("abc");
  });

  it("end() emits a dangling partial character as a replacement character", () => {
    const emitted: string[] = [];
    const stream = new OutputStream(16, (text) => emitted.push(text));
    stream.push(Buffer.from([0xf0, 0x9f]));
    stream.end();
    expect(emitted).toEqual(["\ufffd"]);
  });
});

describe("OutputCallback", () => {
  it("after the callback throws once it is not called again, and the error is kept", () => {
    const seen: string[] = [];
    let stops = 0;
    const boom = new Error("sink is full");
    const callback = new OutputCallback(
      (text) => {
        seen.push(text);
        if (text === "two") throw boom;
      },
      () => stops++,
    );
    callback.deliver("one", "stdout");
    expect(callback.failure).toBeNull();
    callback.deliver("two", "stderr");
    callback.deliver("three", "stdout");
    expect(seen).toEqual(["one", "two"]);
    expect(stops).toBe(1);
    expect(callback.failure).toEqual({ error: boom });
  });

  it("without an onOutput callback nothing is delivered and nothing fails", () => {
    const callback = new OutputCallback(undefined, () => {
      throw new Error("never");
    });
    callback.deliver("text", "stdout");
    expect(callback.failure).toBeNull();
  });
});
