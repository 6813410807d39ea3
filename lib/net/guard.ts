import { lookup as dnsLookup } from "node:dns/promises";
import net from "node:net";
import { z } from "zod";
import type { Db, Tx } from "../db/client";
import { AppError } from "../errors";

/**
 * Which addresses a health check (or an alert webhook) may connect to. Private and loopback ranges are
 * allowed on purpose: watching internal services is the point. What is refused by default is the cloud
 * metadata and link-local space, where a check could be turned into a credential-stealing request.
 */
export const DEFAULT_DENIED_RANGES: readonly { cidr: string; why: string }[] = [
  { cidr: "169.254.0.0/16", why: "link-local / cloud metadata" },
  { cidr: "100.100.100.200/32", why: "cloud metadata (Alibaba)" },
  { cidr: "fd00:ec2::254/128", why: "cloud metadata (AWS IPv6)" },
  { cidr: "fe80::/10", why: "IPv6 link-local" },
  // The same targets spelled as IPv4-mapped IPv6 and through the NAT64 prefix.
  { cidr: "::ffff:169.254.0.0/112", why: "link-local / cloud metadata (IPv4-mapped)" },
  { cidr: "::ffff:100.100.100.200/128", why: "cloud metadata (IPv4-mapped)" },
  { cidr: "64:ff9b::a9fe:0/112", why: "link-local / cloud metadata (NAT64)" },
  { cidr: "64:ff9b::6464:64c8/128", why: "cloud metadata (NAT64)" },
];

export const NETWORK_SETTING_KEY = "health.network";

interface ParsedCidr {
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

export function parseCidr(input: string): ParsedCidr | null {
  const [rawAddress, rawPrefix, extra] = input.trim().split("/");
  if (!rawAddress || extra !== undefined) return null;
  const version = net.isIP(rawAddress);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = rawPrefix === undefined ? max : Number(rawPrefix);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (rawPrefix !== undefined && !/^\d+$/.test(rawPrefix))) return null;
  return { address: rawAddress, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

const cidrSchema = z
  .string()
  .trim()
  .refine((v) => parseCidr(v) !== null, { message: "must be an IP address or CIDR range, e.g. 10.0.0.0/8 or fd00::/8" });

export const networkPolicySchema = z.object({
  deny: z.array(cidrSchema).max(200).default([]),
  allow: z.array(cidrSchema).max(200).default([]),
});
export type NetworkPolicy = z.infer<typeof networkPolicySchema>;

export class TargetDeniedError extends AppError {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(400, "target_denied", `Target ${host}${host === address ? "" : ` (${address})`} is refused: ${reason}`);
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** How a host name becomes addresses: the system resolver by default; tests pass their own table. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (host) => {
  const found = await dnsLookup(host, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

function blockListOf(cidrs: readonly string[]): net.BlockList {
  const list = new net.BlockList();
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if (parsed) list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list;
}

/** The eight 16-bit groups of an IPv6 address ("::" expanded, a trailing dotted IPv4 split in two). */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const o = dotted[1]!.split(".").map(Number);
    text = text.slice(0, -dotted[1]!.length) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** "::ffff:169.254.169.254" and "::ffff:a9fe:a9fe" both name 169.254.169.254. */
export function unmapIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g || g.slice(0, 5).some((x) => x !== 0) || g[5] !== 0xffff) return null;
  return `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
}

/** A compiled policy: the default denials plus the admin's ranges; an admin "allow" range wins over any denial. */
export class AddressGuard {
  private readonly defaults = DEFAULT_DENIED_RANGES.map((r) => ({ why: r.why, list: blockListOf([r.cidr]) }));
  private readonly adminDeny: net.BlockList;
  private readonly adminAllow: net.BlockList;

  constructor(readonly policy: NetworkPolicy = { deny: [], allow: [] }) {
    this.adminDeny = blockListOf(policy.deny);
    this.adminAllow = blockListOf(policy.allow);
  }

  /** Why the address is refused, or null when a check may connect to it. */
  denialReason(address: string): string | null {
    const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
    const family = net.isIP(bare);
    if (family === 0) return "not an IP address";
    const forms: { address: string; type: "ipv4" | "ipv6" }[] = [{ address: bare, type: family === 4 ? "ipv4" : "ipv6" }];
    const mapped = family === 6 ? unmapIpv4(bare) : null;
    if (mapped) forms.push({ address: mapped, type: "ipv4" });
    if (forms.some((f) => this.adminAllow.check(f.address, f.type))) return null;
    for (const f of forms) {
      const hit = this.defaults.find((d) => d.list.check(f.address, f.type));
      if (hit) return `${hit.why} addresses are denied by default`;
      if (this.adminDeny.check(f.address, f.type)) return "in a range denied by the health-check network setting";
    }
    return null;
  }
}

export function hostOf(urlHostname: string): string {
  return urlHostname.replace(/^\[|\]$/g, "");
}

/**
 * Resolves a host and vets every address it resolves to: one denied address refuses the host, since the
 * resolver may hand out a different one next time. The caller connects to the returned address, never
 * to the name, so what was vetted is what is reached.
 */
export async function vetHost(host: string, guard: AddressGuard, resolve: Resolver = systemResolver): Promise<ResolvedAddress> {
  const bare = hostOf(host);
  const literal = net.isIP(bare);
  const addresses: ResolvedAddress[] = literal ? [{ address: bare, family: literal === 6 ? 6 : 4 }] : await resolve(bare);
  if (addresses.length === 0) throw new Error(`${bare} did not resolve to any address`);
  for (const a of addresses) {
    const reason = guard.denialReason(a.address);
    if (reason) throw new TargetDeniedError(bare, a.address, reason);
  }
  return addresses[0]!;
}

/**
 * For a form or API call: refuses a target that certainly points at a denied address. A name that does
 * not resolve from here is accepted (the worker may sit in another network); every check vets it again.
 */
export async function assertTargetAllowed(host: string, guard: AddressGuard, resolve: Resolver = systemResolver): Promise<void> {
  try {
    await vetHost(host, guard, resolve);
  } catch (err) {
    if (err instanceof TargetDeniedError) throw err;
  }
}

export async function loadNetworkPolicy(client: Db | Tx): Promise<NetworkPolicy> {
  const row = await client.setting.findUnique({ where: { key: NETWORK_SETTING_KEY } });
  const parsed = networkPolicySchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : { deny: [], allow: [] };
}

export async function saveNetworkPolicy(tx: Tx | Db, policy: NetworkPolicy): Promise<NetworkPolicy> {
  const value = networkPolicySchema.parse(policy);
  await tx.setting.upsert({ where: { key: NETWORK_SETTING_KEY }, create: { key: NETWORK_SETTING_KEY, value }, update: { value } });
  return value;
}

export async function loadAddressGuard(client: Db | Tx): Promise<AddressGuard> {
  return new AddressGuard(await loadNetworkPolicy(client));
}

/**
 * The policy in force, re-read every `everyMs` in the background (never two reads at once) so a change by an
 * admin reaches running checks; while a read fails, the last policy loaded stays in force.
 */
export class LiveAddressGuard {
  private reloading = false;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly client: Db,
    public current: AddressGuard,
    everyMs: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.timer = setInterval(() => this.reload(), everyMs);
  }

  /** Starts from the stored policy, or from the defaults when it cannot be read. */
  static async load(client: Db, everyMs: number, onError: (err: unknown) => void): Promise<LiveAddressGuard> {
    return new LiveAddressGuard(client, await loadAddressGuard(client).catch(() => new AddressGuard()), everyMs, onError);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private reload(): void {
    if (this.reloading) return;
    this.reloading = true;
    loadAddressGuard(this.client)
      .then((guard) => void (this.current = guard))
      .catch(this.onError)
      .finally(() => void (this.reloading = false));
  }
}
