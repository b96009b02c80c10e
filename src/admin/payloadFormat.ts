/**
 * How a message's key, value and header values are shown: as text (UTF-8), as JSON, or as
 * hex. Bytes that do not fit the chosen format fall back (JSON -> text -> hex) and say so, so
 * the browser never shows mangled text or hides a value.
 */
export type PayloadFormat = 'text' | 'json' | 'hex';

export interface DecodedPayload {
  format: PayloadFormat;
  /** The text for text and hex; the parsed value for json. */
  value: unknown;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodePayload(bytes: Buffer | null, format: PayloadFormat): DecodedPayload | null {
  if (bytes === null) return null;
  if (format === 'hex') return { format: 'hex', value: bytes.toString('hex') };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { format: 'hex', value: bytes.toString('hex') };
  }
  if (format === 'json') {
    try {
      return { format: 'json', value: JSON.parse(text) as unknown };
    } catch {
      return { format: 'text', value: text };
    }
  }
  return { format: 'text', value: text };
}

/** One line for tables and console output; JSON is printed compactly. */
export function payloadText(payload: DecodedPayload | null): string {
  if (payload === null) return 'null';
  return payload.format === 'json' ? JSON.stringify(payload.value) : String(payload.value);
}
