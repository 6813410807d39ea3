/**
 * Every IPv6 spelling that reaches an IPv4 address, built by hand from the octets (not by the code under
 * test): IPv4-mapped, IPv4-compatible, SIIT, NAT64 (well-known) and local-use NAT64 at each RFC 6052 length.
 */
export function ipv6FormsOf(ipv4: string): string[] {
  const o = ipv4.split(".").map(Number);
  const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
  const hi = hex(o[0]!, o[1]!);
  const lo = hex(o[2]!, o[3]!);
  return [
    `::ffff:${ipv4}`,
    `::ffff:${hi}:${lo}`,
    `::${ipv4}`,
    `::${hi}:${lo}`,
    `0:0:0:0:0:0:${hi}:${lo}`,
    `::ffff:0:${ipv4}`,
    `::ffff:0:${hi}:${lo}`,
    `64:ff9b::${ipv4}`,
    `64:ff9b::${hi}:${lo}`,
    // local-use NAT64, 64:ff9b:1::/48, with the IPv4 bytes where RFC 6052 puts them for /48, /56, /64 and /96
    `64:ff9b:1:${hi}:${hex(0, o[2]!)}:${hex(o[3]!, 0)}::`,
    `64:ff9b:1:${hex(0, o[0]!)}:${hex(0, o[1]!)}:${lo}::`,
    `64:ff9b:1:0:${hex(0, o[0]!)}:${hex(o[1]!, o[2]!)}:${hex(o[3]!, 0)}:0`,
    `64:ff9b:1::${ipv4}`,
    `64:ff9b:1::${hi}:${lo}`,
  ];
}
