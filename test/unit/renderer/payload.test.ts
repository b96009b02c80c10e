import { describe, expect, it } from 'vitest';
import { bytesOf, detectPayload, hexDump, payloadClipboardText, payloadSummary, renderPayload, textOf } from '../../../renderer/app/payload';

const bytes = (text: string) => new TextEncoder().encode(text);
const base64 = (data: Uint8Array) => Buffer.from(data).toString('base64');

describe('detectPayload', () => {
  it('calls JSON objects and arrays JSON, even with surrounding whitespace', () => {
    expect(detectPayload(bytes('{"id":1}'))).toBe('json');
    expect(detectPayload(bytes('  [1, 2, 3]\n'))).toBe('json');
  });

  it('calls bare JSON scalars and broken JSON text', () => {
    expect(detectPayload(bytes('42'))).toBe('text');
    expect(detectPayload(bytes('true'))).toBe('text');
    expect(detectPayload(bytes('{"id":'))).toBe('text');
    expect(detectPayload(bytes('héllo wörld ✓'))).toBe('text');
  });

  it('calls invalid UTF-8 and control bytes binary, but not tabs and line breaks', () => {
    expect(detectPayload(new Uint8Array([0xff, 0xfe, 0x41]))).toBe('binary');
    expect(detectPayload(new Uint8Array([0x00, 0x01, 0x02]))).toBe('binary');
    expect(detectPayload(bytes('a\tb\r\nc'))).toBe('text');
    expect(textOf(new Uint8Array([0x41, 0x7f]))).toBeNull();
  });
});

describe('renderPayload', () => {
  it('parses JSON in auto and json views and keeps it as text in the text view', () => {
    expect(renderPayload(bytes('{"a":[1,{"b":null}]}'), 'auto')).toEqual({ kind: 'json', value: { a: [1, { b: null }] } });
    expect(renderPayload(bytes('{"a":1}'), 'json')).toEqual({ kind: 'json', value: { a: 1 } });
    expect(renderPayload(bytes('{"a":1}'), 'text')).toEqual({ kind: 'text', text: '{"a":1}' });
  });

  it('falls back from JSON to text and from text to hex, saying which it shows', () => {
    expect(renderPayload(bytes('not json'), 'json')).toEqual({ kind: 'text', text: 'not json' });
    expect(renderPayload(new Uint8Array([0xc3, 0x28]), 'text').kind).toBe('hex');
    expect(renderPayload(bytes('plain'), 'hex').kind).toBe('hex');
  });

  it('copies JSON pretty-printed', () => {
    expect(payloadClipboardText(renderPayload(bytes('{"a":1}'), 'auto'))).toBe('{\n  "a": 1\n}');
  });
});

describe('hexDump', () => {
  it('prints offset, two groups of eight bytes and the printable ASCII, like hexdump -C', () => {
    const dump = hexDump(bytes('Hello, Kafka! This is 20+')).split('\n');
    expect(dump).toEqual(['00000000  48 65 6c 6c 6f 2c 20 4b  61 66 6b 61 21 20 54 68  |Hello, Kafka! Th|', '00000010  69 73 20 69 73 20 32 30  2b                       |is is 20+|']);
    expect(hexDump(new Uint8Array([0x00, 0x41, 0xff]))).toBe('00000000  00 41 ff                                          |.A.|');
    expect(hexDump(new Uint8Array([]))).toBe('');
  });
});

describe('payloadSummary', () => {
  it('shows JSON compactly, text on one line, binary as hex, and cuts long ones', () => {
    expect(payloadSummary(bytes('{ "a" : 1 }'), 'auto')).toBe('{"a":1}');
    expect(payloadSummary(bytes('line one\nline two'), 'auto')).toBe('line one line two');
    expect(payloadSummary(new Uint8Array([0x00, 0xff]), 'auto')).toBe('00 ff');
    const long = payloadSummary(bytes('x'.repeat(1000)), 'text', 50);
    expect(long).toHaveLength(50);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('bytesOf', () => {
  it('turns the back end base64 back into the same bytes', () => {
    const original = new Uint8Array([0, 1, 2, 127, 128, 254, 255]);
    expect(Array.from(bytesOf(base64(original)))).toEqual(Array.from(original));
  });
});
