import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { ipv6FormsOf } from "./testing/addresses";
import { AddressGuard, assertTargetAllowed, embeddedIpv4, loadNetworkPolicy, networkPolicySchema, parseCidr, saveNetworkPolicy, TargetDeniedError, unmapIpv4, vetHost, type Resolver } from "./guard";

const table =
  (entries: Record<string, string[]>): Resolver =>
  async (host) => {
    const found = entries[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };

describe("AddressGuard (default policy)", () => {
  const guard = new AddressGuard();

  it.each([
    "169.254.169.254",
    "169.254.0.1",
    "100.100.100.200",
    "fd00:ec2::254",
    "fd00:0ec2:0000:0000:0000:0000:0000:0254",
    "fe80::1",
    "::ffff:169.254.169.254",
    "::ffff:a9fe:a9fe",
    "0:0:0:0:0:ffff:a9fe:a9fe",
    "::ffff:100.100.100.200",
    "64:ff9b::169.254.169.254",
  ])("refuses %s", (address) => {
    expect(guard.denialReason(address)).not.toBeNull();
  });

  it.each(["127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.4", "::1", "fd12:3456::1", "100.100.100.201", "8.8.8.8", "::ffff:127.0.0.1"])("allows %s (private and loopback are what internal monitoring watches)", (address) => {
    expect(guard.denialReason(address)).toBeNull();
  });

  it("unmaps IPv4-mapped IPv6 in both spellings", () => {
    expect(unmapIpv4("::ffff:169.254.169.254")).toBe("169.254.169.254");
    expect(unmapIpv4("::FFFF:A9FE:A9FE")).toBe("169.254.169.254");
    expect(unmapIpv4("::1")).toBeNull();
    expect(unmapIpv4("fd00:ec2::254")).toBeNull();
  });
});

describe("IPv6 forms that carry a denied IPv4 address", () => {
  const guard = new AddressGuard();
  const cases = ["169.254.169.254", "169.254.0.1", "100.100.100.200"].flatMap((ipv4) => ipv6FormsOf(ipv4).map((form) => [ipv4, form] as const));

  it.each(cases)("refuses %s written as %s", (ipv4, form) => {
    expect(guard.denialReason(form)).toMatch(new RegExp(`denied by default \\(${ipv4.replace(/\./g, "\\.")} in IPv6 form\\)$`));
    expect(guard.denialReason(`[${form.toUpperCase()}]`)).not.toBeNull();
  });

  it.each(["fd00:ec2::254", "FD00:EC2:0:0:0:0:0:254", "fd00:0ec2::0254", "[fd00:ec2::254]", "fe80::1", "fe80::1%eth0", "febf:ffff::1"])("refuses the IPv6 denied address %s in any spelling", (address) => {
    expect(guard.denialReason(address)).toMatch(/denied by default/);
  });

  it.each(["::1", "::", "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::10.0.0.1", "64:ff9b:1::10.0.0.1", "64:ff9b:1::1", "fe7f::1", "fec0::1"])("still allows %s (loopback, private and other ranges are not widened)", (address) => {
    expect(guard.denialReason(address)).toBeNull();
  });

  it("reads an admin's IPv4 range in the embedded forms too, and an exception covers them only when every reading is inside it", () => {
    const strict = new AddressGuard({ deny: ["192.0.2.0/24"], allow: [] });
    for (const form of ipv6FormsOf("192.0.2.7")) expect(strict.denialReason(form), form).toMatch(/network setting/);
    const exception = new AddressGuard({ deny: [], allow: ["169.254.10.0/24"] });
    for (const form of ipv6FormsOf("169.254.10.7").filter((f) => !f.startsWith("64:ff9b:1:"))) expect(exception.denialReason(form), form).toBeNull();
    // 64:ff9b:1:a9fe:a0a:700:: reads as 169.254.10.7 at /48 but as other addresses at other lengths: not vouched for.
    expect(exception.denialReason("64:ff9b:1:a9fe:a:700::")).not.toBeNull();
  });

  it("names what an IPv6 address stands for", () => {
    const ipv6 = (a: string) => ipaddr.IPv6.parse(a);
    expect(embeddedIpv4(ipv6("::ffff:0:a9fe:a9fe")).map(String)).toEqual(["169.254.169.254"]);
    expect(embeddedIpv4(ipv6("fd00:ec2::254"))).toEqual([]);
    expect(embeddedIpv4(ipv6("::1"))).toEqual([]);
    expect(embeddedIpv4(ipv6("64:ff9b:1::a9fe:a9fe")).map(String)).toContain("169.254.169.254");
  });
});

describe("admin ranges", () => {
  it("adds denied ranges and lets an allowed range override a denial", () => {
    const guard = new AddressGuard({ deny: ["10.0.0.0/8", "fd00::/8"], allow: ["10.9.9.9", "169.254.10.0/24"] });
    expect(guard.denialReason("10.1.1.1")).toMatch(/network setting/);
    expect(guard.denialReason("::ffff:10.1.1.1")).toMatch(/network setting/);
    expect(guard.denialReason("fd12::1")).toMatch(/network setting/);
    expect(guard.denialReason("10.9.9.9")).toBeNull();
    expect(guard.denialReason("169.254.10.7")).toBeNull();
    expect(guard.denialReason("169.254.169.254")).not.toBeNull();
  });

  it("validates CIDRs", () => {
    expect(parseCidr("10.0.0.0/8")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
    expect(parseCidr("fd00::/8")?.family).toBe("ipv6");
    expect(parseCidr("10.0.0.0/33")).toBeNull();
    expect(parseCidr("10.0.0.0/8/1")).toBeNull();
    expect(parseCidr("example.com/24")).toBeNull();
    expect(parseCidr("10.0.0.0/x")).toBeNull();
    expect(networkPolicySchema.safeParse({ deny: ["nope"] }).success).toBe(false);
  });

  it("is stored as the health.network setting and read back", async () => {
    expect(await loadNetworkPolicy(db())).toEqual({ deny: [], allow: [] });
    await saveNetworkPolicy(db(), { deny: ["192.0.2.0/24"], allow: [] });
    expect(await loadNetworkPolicy(db())).toEqual({ deny: ["192.0.2.0/24"], allow: [] });
    await saveNetworkPolicy(db(), { deny: [], allow: [] });
  });
});

describe("vetHost", () => {
  const guard = new AddressGuard();

  it("refuses a name when any of its addresses is denied", async () => {
    const resolve = table({ "mixed.test": ["127.0.0.1", "169.254.169.254"], "ok.test": ["127.0.0.1", "::1"] });
    await expect(vetHost("mixed.test", guard, resolve)).rejects.toBeInstanceOf(TargetDeniedError);
    await expect(vetHost("ok.test", guard, resolve)).resolves.toEqual({ address: "127.0.0.1", family: 4 });
  });

  it("vets IP literals without resolving them, brackets and all", async () => {
    const never: Resolver = () => Promise.reject(new Error("must not resolve a literal"));
    await expect(vetHost("[::ffff:169.254.169.254]", guard, never)).rejects.toBeInstanceOf(TargetDeniedError);
    await expect(vetHost("127.0.0.1", guard, never)).resolves.toEqual({ address: "127.0.0.1", family: 4 });
  });

  it("resolves real names with the system resolver", async () => {
    const vetted = await vetHost("localhost", guard);
    expect(["127.0.0.1", "::1"]).toContain(vetted.address);
  });

  it("for forms: refuses a denied target but accepts a name that does not resolve here", async () => {
    const resolve = table({ "meta.test": ["fd00:ec2::254"] });
    await expect(assertTargetAllowed("meta.test", guard, resolve)).rejects.toThrow(/refused/);
    await expect(assertTargetAllowed("nowhere.test", guard, resolve)).resolves.toBeUndefined();
  });
});
