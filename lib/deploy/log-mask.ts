/**
 * Secret values are masked in deploy output before it is stored, the way CI systems do it. Output arrives in
 * chunks, so a value may be split between two of them: a StreamMasker holds back the last (longest secret − 1)
 * characters of what it has seen until the next chunk (or the end of the stream) shows whether they begin a
 * secret. Values shorter than MIN_SECRET_LENGTH are not masked: masking "1" or "on" would garble every log
 * and hide nothing worth hiding.
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

  constructor(values: Iterable<string>) {
    this.secrets = maskableSecrets(values);
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
   * Masks `text` up to `decidedBefore`: every match starting before it is whole inside `text` (the caller
   * guarantees enough text after it). Returns what is safe to emit and where the undecided tail starts.
   */
  maskPrefix(text: string, decidedBefore: number): { out: string; rest: number } {
    if (!this.pattern) return { out: text.slice(0, decidedBefore), rest: decidedBefore };
    const re = new RegExp(this.pattern.source, "g");
    let out = "";
    let at = 0;
    for (let m = re.exec(text); m && m.index < decidedBefore; m = re.exec(text)) {
      out += text.slice(at, m.index) + MASK;
      at = m.index + m[0].length;
    }
    if (at < decidedBefore) {
      out += text.slice(at, decidedBefore);
      at = decidedBefore;
    }
    return { out, rest: at };
  }
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
    // A match starting at or after this index may still be incomplete; one before it is whole in `text`.
    let decided = Math.max(0, text.length - Math.max(0, this.masker.longest - 1));
    // Never end what is emitted in the middle of a surrogate pair.
    if (decided > 0 && decided < text.length && isHighSurrogate(text.charCodeAt(decided - 1))) decided--;
    const { out, rest } = this.masker.maskPrefix(text, decided);
    this.held = text.slice(rest);
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
