import { AdminError } from './adminError';

/**
 * Reads the `.properties` format Kafka's tools take with `--command-config`
 * (java.util.Properties.load): `key=value`, `key: value` or `key value`; `#` and `!` start
 * comments; a trailing backslash continues a line (leading blanks of the next line dropped);
 * backslash escapes (\t \n \r \f \uXXXX, and any other character as itself).
 */
export function parseJavaProperties(text: string, source = 'properties'): Map<string, string> {
  const result = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    let logical = lines[index]!.replace(/^[ \t\f]+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    while (endsWithContinuation(logical) && index + 1 < lines.length) {
      logical = logical.slice(0, -1) + lines[++index]!.replace(/^[ \t\f]+/, '');
    }
    if (endsWithContinuation(logical)) logical = logical.slice(0, -1);
    const { key, value } = splitKeyValue(logical);
    result.set(unescape(key, source, lineNumber), unescape(value, source, lineNumber));
  }
  return result;
}

/** An odd number of trailing backslashes: the last one escapes the line break. */
function endsWithContinuation(line: string): boolean {
  const trailing = /\\*$/.exec(line)![0].length;
  return trailing % 2 === 1;
}

function splitKeyValue(line: string): { key: string; value: string } {
  let end = 0;
  while (end < line.length) {
    const char = line[end]!;
    if (char === '\\') {
      end += 2;
      continue;
    }
    if (char === '=' || char === ':' || char === ' ' || char === '\t' || char === '\f') break;
    end++;
  }
  const key = line.slice(0, end);
  let rest = line.slice(end).replace(/^[ \t\f]+/, '');
  if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]+/, '');
  return { key, value: rest };
}

function unescape(text: string, source: string, lineNumber: number): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = text[++i];
    switch (next) {
      case undefined:
        break;
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        const hex = text.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          throw new AdminError('invalid-input', `${source} line ${lineNumber}: malformed \\u escape "\\u${hex}"`);
        }
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default:
        out += next;
    }
  }
  return out;
}
