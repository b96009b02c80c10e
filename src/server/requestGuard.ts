import type { IncomingMessage } from 'node:http';

/**
 * Decides whether a request comes from the app's own pages. The server listens on loopback,
 * but any web page the user visits can still send requests to 127.0.0.1, and a DNS-rebinding
 * page can even do it under its own host name. So:
 * - the Host header must name this server (defeats DNS rebinding: the rebound name is in Host);
 * - an Origin header, when present, must be this server's origin (defeats cross-site posts);
 * - Sec-Fetch-Site, which browsers send and pages cannot forge, must not say cross-site.
 * Tools like curl send no Origin and pass, which is fine: they are already on the machine.
 */
export function rejectionReason(request: IncomingMessage, port: number): string | undefined {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = request.headers.host;
  if (host === undefined || !allowedHosts.includes(host.toLowerCase())) {
    return `Host "${host ?? ''}" is not this server; open the app at http://127.0.0.1:${port}/`;
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedHosts.some((allowed) => origin.toLowerCase() === `http://${allowed}`)) {
    return `Requests from origin "${origin}" are not accepted; only the Samsa page itself may call the API`;
  }
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    return `Cross-site requests are not accepted (Sec-Fetch-Site: ${site})`;
  }
  return undefined;
}
