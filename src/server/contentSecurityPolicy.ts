/**
 * The one Content-Security-Policy for the renderer, used two ways: as an HTTP header in
 * browser mode, and as a <meta> tag that Vite writes into index.html (the only place a policy
 * can come from for Electron's file:// pages). Nothing inline, nothing remote: scripts, styles
 * and the API all come from the app's own origin.
 */
const directives: Record<string, string> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'manifest-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'object-src': "'none'",
};

function serialise(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

/** For a <meta http-equiv> tag, where browsers ignore frame-ancestors. */
export const CONTENT_SECURITY_POLICY = serialise(directives);

/** For response headers, which can also forbid framing the app. */
export const CONTENT_SECURITY_POLICY_HEADER = serialise({ ...directives, 'frame-ancestors': "'none'" });
