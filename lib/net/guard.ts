import { lookup as dnsLookup } from "node:dns/promises";
import net from "node:net";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import type { Db, Tx } from "../db/client";
import { AppError } from "../errors";

/**
 * Which addresses a health check (or an alert webhook) may connect to. Private and loopback ranges are
 * allowed on purpose: watching internal services is the point. What is refused by default is the cloud
 * metadata and link-local space, where a check could be turned into a credential-stealing request.
 * Every IPv6 spelling that carries an IPv4 address (see embeddedIpv4) is judged as that IPv4 address too, so
 * these ranges are also refused as ::ffff:a.b.c.d, ::a.b.c.d, ::ffff:0:a.b.c.d and through NAT64.
 */
export const DEFAULT_DENIED_RANGES: readonly { cidr: string; why: string }[] = [
  { cidr: "169.254.0.0/16", why: "link-local / cloud metadata" },
  { cidr: "100.100.100.200/32", why: "cloud metadata (Alibaba)" },
  { cidr: "fd00:ec2::254/128", why: "cloud metadata (AWS IPv6)" },
  { cidr: "fe80::/10", why: "IPv6 link-local" },
];

export const NETWORK_SETTING_KEY = "health.network";

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

interface ParsedCidr {
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

/**
 * An admin's range ("10.0.0.0/8", "fd00::/8", or one address). IPv4 must be four decimal parts: ipaddr.js
 * would also read "10/8" or "0x0a.0.0.0", which nobody means in a settings form.
 */
export function parseCidr(input: string): ParsedCidr | null {
  const [rawAddress, rawPrefix, extra] = input.trim().split("/");
  if (!rawAddress || extra !== undefined) return null;
  if (rawPrefix !== undefined && !/^\d{1,3}$/.test(rawPrefix)) return null;
  const isV4 = ipaddr.IPv4.isValidFourPartDecimal(rawAddress);
  if (!isV4 && (!ipaddr.IPv6.isValid(rawAddress) || rawAddress.includes("%"))) return null;
  const max = isV4 ? 32 : 128;
  const prefix = rawPrefix === undefined ? max : Number(rawPrefix);
  if (prefix > max) return null;
  return { address: rawAddress, prefix, family: isV4 ? "ipv4" : "ipv6" };
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

function rangesOf(cidrs: readonly string[]): Range[] {
  return cidrs.flatMap((cidr) => {
    const parsed = parseCidr(cidr);
    return parsed ? [[ipaddr.parse(parsed.address), parsed.prefix] as Range] : [];
  });
}

function inAny(address: Address, ranges: readonly Range[]): boolean {
  return ranges.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits));
}

const v6 = (cidr: string) => ipaddr.IPv6.parseCIDR(cidr);

/** IPv6 ranges whose last 32 bits are an IPv4 address that the host (or the network's translator) reaches. */
const LAST_32_BITS_IPV4: readonly Range[] = [
  v6("::ffff:0:0/96"), // IPv4-mapped
  v6("::ffff:0:0:0/96"), // SIIT, RFC 6145
  v6("64:ff9b::/96"), // NAT64 well-known prefix, RFC 6052
  v6("::/96"), // IPv4-compatible (deprecated, still parsed by stacks)
];

/** The local-use NAT64 prefix (RFC 8215): an operator picks any RFC 6052 prefix length inside it. */
const LOCAL_NAT64 = v6("64:ff9b:1::/48");

/** RFC 6052 §2.2: where the IPv4 bytes sit for each prefix length (bits 64–71, the "u" octet, are skipped). */
const RFC6052_IPV4_BYTES: Record<number, number[]> = {
  48: [6, 7, 9, 10],
  56: [7, 9, 10, 11],
  64: [9, 10, 11, 12],
  96: [12, 13, 14, 15],
};

/**
 * Every IPv4 address an IPv6 address stands for. The local-use NAT64 prefix does not say its length, so
 * each layout's reading is returned: a check is refused when any of them is.
 */
export function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4[] {
  const bytes = address.toByteArray();
  const ipv4At = (at: number[]) => new ipaddr.IPv4(at.map((i) => bytes[i]!));
  const found: ipaddr.IPv4[] = [];
  const isUnspecifiedOrLoopback = address.match(v6("::/127"));
  if (inAny(address, LAST_32_BITS_IPV4) && !isUnspecifiedOrLoopback) found.push(ipv4At(RFC6052_IPV4_BYTES[96]!));
  if (address.match(LOCAL_NAT64)) for (const at of Object.values(RFC6052_IPV4_BYTES)) found.push(ipv4At(at));
  return found;
}

/** "::ffff:169.254.169.254" and "::ffff:a9fe:a9fe" both name 169.254.169.254. */
export function unmapIpv4(address: string): string | null {
  if (!ipaddr.IPv6.isValid(address)) return null;
  const parsed = ipaddr.IPv6.parse(address);
  return parsed.isIPv4MappedAddress() ? parsed.toIPv4Address().toString() : null;
}

/** An address as a resolver or a URL gives it: brackets and zone allowed. null when it is not an IP address. */
function parseAddress(text: string): Address | null {
  const bare = text.replace(/^\[|\]$/g, "");
  if (net.isIP(bare.replace(/%.*$/, "")) === 0) return null;
  try {
    return ipaddr.parse(bare);
  } catch {
    return null;
  }
}

/** A compiled policy: the default denials plus the admin's ranges; an admin "allow" range wins over any denial. */
export class AddressGuard {
  private readonly defaults = DEFAULT_DENIED_RANGES.map((r) => ({ why: r.why, ranges: rangesOf([r.cidr]) }));
  private readonly adminDeny: Range[];
  private readonly adminAllow: Range[];

  constructor(readonly policy: NetworkPolicy = { deny: [], allow: [] }) {
    this.adminDeny = rangesOf(policy.deny);
    this.adminAllow = rangesOf(policy.allow);
  }

  /** Why the address is refused, or null when a check may connect to it. */
  denialReason(text: string): string | null {
    const address = parseAddress(text);
    if (!address) return "not an IP address";
    const embedded = address.kind() === "ipv6" ? embeddedIpv4(address as ipaddr.IPv6) : [];
    // An exception covers the address as written, or every IPv4 address it may stand for: one reading of a
    // local-use NAT64 address inside an allowed range must not vouch for another reading that is denied.
    if (inAny(address, this.adminAllow) || (embedded.length > 0 && embedded.every((a) => inAny(a, this.adminAllow)))) return null;
    for (const form of [address, ...embedded]) {
      const hit = this.defaults.find((d) => inAny(form, d.ranges));
      if (hit) return `${hit.why} addresses are denied by default${form === address ? "" : ` (${form.toString()} in IPv6 form)`}`;
      if (inAny(form, this.adminDeny)) return "in a range denied by the health-check network setting";
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
