/**
 * The `host:port` grammar of Kafka's bootstrap.servers, shared by the CLI's flags, the admin
 * connections and the cluster form's schema so all three accept the same addresses. The host
 * is a DNS name or IPv4 address (letters, digits, dots, hyphens, and underscores, which
 * container names have) or a bracketed IPv6 address, so a pasted `key=value` or URL is refused
 * by name instead of failing later as a host that does not resolve.
 */
const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?)):(\d{1,5})$/;

export interface HostPort {
  host: string;
  port: number;
}

/** The host and port of `address`, or null when it is not host:port with a port in 1..65535. */
export function splitHostPort(address: string): HostPort | null {
  const match = HOST_PORT.exec(address.trim());
  if (!match) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return null;
  return { host: match[1] ?? match[2]!, port };
}
