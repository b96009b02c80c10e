/**
 * How a message's key, value and header values are shown. The back end sends the stored
 * bytes (base64); the renderer decides how to read them, so switching between text, JSON and
 * hex never asks the cluster again. "auto" picks JSON for a JSON object or array, text for
 * other UTF-8, and hex for anything else, so binary data is never shown as mangled text.
 */
export type PayloadView = 'auto' | 'text' | 'json' | 'hex';
export type PayloadKind = 'json' | 'text' | 'binary';

export type RenderedPayload =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'hex'; readonly text: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function bytesOf(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** The UTF-8 text of the bytes, or null when they are not valid UTF-8 or hold control characters other than whitespace. */
export function textOf(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return null;
  }
  // NUL and other C0 controls mean binary data that happens to be valid UTF-8 (varints, small ints).
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code <= 0x08 || (code >= 0x0e && code <= 0x1f) || code === 0x7f) return null;
  }
  return text;
}

/** JSON objects and arrays only: "42" or "true" is text to a person reading a topic. */
export function jsonOf(text: string): { value: unknown } | null {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return null;
  try {
    return { value: JSON.parse(trimmed) as unknown };
  } catch {
    return null;
  }
}

export function detectPayload(bytes: Uint8Array): PayloadKind {
  const text = textOf(bytes);
  if (text === null) return 'binary';
  return jsonOf(text) === null ? 'text' : 'json';
}

/**
 * The bytes in the asked view. A view the bytes do not fit falls back (JSON -> text -> hex)
 * and the result's kind says what is shown, so the page can say so.
 */
export function renderPayload(bytes: Uint8Array, view: PayloadView): RenderedPayload {
  if (view === 'hex') return { kind: 'hex', text: hexDump(bytes) };
  const text = textOf(bytes);
  if (text === null) return { kind: 'hex', text: hexDump(bytes) };
  if (view === 'text') return { kind: 'text', text };
  const json = jsonOf(text);
  return json === null ? { kind: 'text', text } : { kind: 'json', value: json.value };
}

/** One line for the message list: compact JSON, text with line breaks shown as spaces, or hex. */
export function payloadSummary(bytes: Uint8Array, view: PayloadView, maxChars = 300): string {
  const rendered = renderPayload(bytes, view);
  const line = rendered.kind === 'json' ? JSON.stringify(rendered.value) : rendered.kind === 'hex' ? hexString(bytes.subarray(0, Math.ceil(maxChars / 3))) : rendered.text.replace(/\s+/g, ' ');
  return line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line;
}

export function hexString(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

/** Like `xxd`/`hexdump -C`: offset, 16 bytes in hex, then the printable ASCII. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let start = 0; start < bytes.length; start += 16) {
    const row = bytes.subarray(start, start + 16);
    const hex = Array.from(row, (byte) => byte.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const ascii = Array.from(row, (byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
    lines.push(`${start.toString(16).padStart(8, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii}|`);
  }
  return lines.join('\n');
}

/** Text for the clipboard: the payload as shown (pretty JSON), or its hex dump. */
export function payloadClipboardText(rendered: RenderedPayload): string {
  return rendered.kind === 'json' ? JSON.stringify(rendered.value, null, 2) : rendered.text;
}
