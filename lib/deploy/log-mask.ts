/**
 * Secret values are masked in deploy output before it is stored, the way CI systems do it. Output arrives in
 * chunks, so a value may be split between two of them: a StreamMasker holds back the end of what it has seen
 * — at most (longest secret − 1) characters, and only from the first place where the rest could still grow
 * into a secret — until the next chunk (or the end of the stream) decides it. Holding back no more than
 * that keeps a command's stdout and stderr in their order. Values shorter than MIN_SECRET_LENGTH are not
 * masked: masking "1" or "on" would garble every log and hide nothing worth hiding.
 */
export const MASK = "***";
export const MIN_SECRET_LENGTH = 4;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The values worth masking, longest first (so a secret that contains another is masked whole). */
export function maskableSecrets(values: Iterable<string>): string[] {
  const unique = new Set([...values].filter((v) => v.length >= MIN_SECRET_LENGTH));
  return [...unique].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/** Masks secrets in one whole text: one leftmost, longest-first pass, as a stream of it would be masked. */
export class SecretMasker {
  readonly secrets: string[];
  readonly longest: number;
  private readonly pattern: RegExp | null;
  /** Each secret's KMP failure function, to find the longest end of a text that begins it in linear time. */
  private readonly failures: Int32Array[];

  constructor(values: Iterable<string>) {
    this.secrets = maskableSecrets(values);
    this.failures = this.secrets.map(failureFunction);
    this.longest = this.secrets[0]?.length ?? 0;
    this.pattern = this.secrets.length ? new RegExp(this.secrets.map(escapeRegExp).join("|"), "g") : null;
  }

  mask(text: string): string {
    return this.pattern ? text.replace(this.pattern, MASK) : text;
  }

  stream(): StreamMasker {
    return new StreamMasker(this);
  }

  /**
   * Masks `text` from `from` up to `decidedBefore`, taking every match that starts before it (the caller
   * guarantees such a match is already whole and final). Returns the masked text and where the rest starts.
   */
  maskPrefix(text: string, from: number, decidedBefore: number): { out: string; rest: number } {
    let out = "";
    let at = from;
    if (this.pattern) {
      const re = new RegExp(this.pattern.source, "g");
      re.lastIndex = from;
      for (let m = re.exec(text); m && m.index < decidedBefore; m = re.exec(text)) {
        out += text.slice(at, m.index) + MASK;
        at = m.index + m[0].length;
      }
    }
    if (at < decidedBefore) {
      out += text.slice(at, decidedBefore);
      at = decidedBefore;
    }
    return { out, rest: at };
  }

  /**
   * The first index at or after `from` where the rest of `text` is a proper beginning of a secret (so more
   * output could complete it, or make a longer secret match there); text.length when there is none.
   */
  holdFrom(text: string, from: number): number {
    let hold = text.length;
    this.secrets.forEach((secret, i) => {
      const fail = this.failures[i]!;
      // Only the last (length − 1) characters can begin this secret without containing it whole.
      let matched = 0;
      for (let p = Math.max(from, text.length - (secret.length - 1)); p < text.length; p++) {
        while (matched > 0 && text[p] !== secret[matched]) matched = fail[matched - 1]!;
        if (text[p] === secret[matched]) matched++;
      }
      if (matched > 0) hold = Math.min(hold, text.length - matched);
    });
    return hold;
  }
}

/** fail[i]: the length of the longest proper prefix of s[0..i] that is also its suffix. */
function failureFunction(s: string): Int32Array {
  const fail = new Int32Array(s.length);
  for (let i = 1, k = 0; i < s.length; i++) {
    while (k > 0 && s[i] !== s[k]) k = fail[k - 1]!;
    if (s[i] === s[k]) k++;
    fail[i] = k;
  }
  return fail;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** One output stream's masker: push chunks, then end() once the stream is over. */
export class StreamMasker {
  private held = "";

  constructor(private readonly masker: SecretMasker) {}

  /** What of this chunk (and the held tail before it) can be stored now, masked. */
  push(chunk: string): string {
    const text = this.held + chunk;
    let out = "";
    let at = 0;
    for (;;) {
      let hold = this.masker.holdFrom(text, at);
      // Never end what is emitted in the middle of a surrogate pair.
      if (hold > at && hold < text.length && isHighSurrogate(text.charCodeAt(hold - 1))) hold--;
      const step = this.masker.maskPrefix(text, at, hold);
      out += step.out;
      at = step.rest;
      // A match that began before the held part and ran into it was taken whole: look again from its end.
      if (at <= hold) break;
    }
    this.held = text.slice(at);
    return out;
  }

  /** The held tail, masked: the stream has ended, nothing more can complete a secret. */
  end(): string {
    const out = this.masker.mask(this.held);
    this.held = "";
    return out;
  }

  get holding(): number {
    return this.held.length;
  }
}
