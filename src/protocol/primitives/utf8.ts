/**
 * UTF-8 straight between a Buffer's bytes and strings, for the codecs' many short strings
 * (topic, config and member names). `buf.toString('utf8', start, end)` and `buf.write`
 * check and normalise their arguments on every call before reaching these same
 * `utf8Slice`/`utf8Write` methods, which Node's Buffer has always had but its typings omit;
 * the fallbacks keep the codecs working on a runtime without them.
 */
interface NodeUtf8Buffer {
  utf8Slice?(start: number, end: number): string;
  utf8Write?(text: string, offset: number, length: number): number;
}

const prototype = Buffer.prototype as unknown as NodeUtf8Buffer;

export const utf8Slice: (buffer: Buffer, start: number, end: number) => string =
  typeof prototype.utf8Slice === 'function'
    ? (buffer, start, end) => (buffer as unknown as Required<NodeUtf8Buffer>).utf8Slice(start, end)
    : (buffer, start, end) => buffer.toString('utf8', start, end);

export const utf8Write: (buffer: Buffer, text: string, offset: number, byteLength: number) => number =
  typeof prototype.utf8Write === 'function'
    ? (buffer, text, offset, byteLength) => (buffer as unknown as Required<NodeUtf8Buffer>).utf8Write(text, offset, byteLength)
    : (buffer, text, offset, byteLength) => buffer.write(text, offset, byteLength, 'utf8');

/**
 * Strings up to this many characters are first written as ASCII in plain JavaScript: a loop
 * of charCodeAt is several times faster than Buffer.byteLength plus a native write for names
 * of a few dozen characters.
 */
export const ASCII_ATTEMPT_LIMIT = 64;

/**
 * Writes `text` at `offset` (room for `text.length` bytes reserved) if it is all ASCII and
 * returns true; returns false at its first other character, the bytes before it written.
 */
export function writeAscii(buffer: Buffer, text: string, offset: number): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return false;
    buffer[offset + i] = code;
  }
  return true;
}
