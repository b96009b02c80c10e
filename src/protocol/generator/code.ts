/** Accumulates indented source lines; the emitters' only formatting tool. */
export class Code {
  private readonly lines: string[] = [];
  private depth = 0;

  /** One line, or several when `text` holds newlines, each at the current depth. */
  line(text = ''): this {
    for (const part of text.split('\n')) this.lines.push(part === '' ? '' : '  '.repeat(this.depth) + part);
    return this;
  }

  /** `head {`, the body one level deeper, then `}` (or `tail`, e.g. `} else {`). */
  block(head: string, body: () => void, tail = '}'): this {
    this.line(head);
    this.depth++;
    body();
    this.depth--;
    return this.line(tail);
  }

  indented(body: () => void): this {
    this.depth++;
    body();
    this.depth--;
    return this;
  }

  append(other: Code): this {
    for (const text of other.lines) this.line(text);
    return this;
  }

  get isEmpty(): boolean {
    return this.lines.length === 0;
  }

  toString(): string {
    return this.lines.join('\n') + '\n';
  }

  mentions(word: string): boolean {
    const pattern = new RegExp(`\\b${word}\\b`);
    return this.lines.some((text) => pattern.test(text));
  }
}

/** A single-quoted TypeScript string literal. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

const MAX_LINE = 100;

/** `head(a, b)tail` on one line, or one parameter per line when that would be too long. */
export function parameterList(head: string, params: readonly string[], tail: string): string {
  const single = `${head}(${params.join(', ')})${tail}`;
  if (single.length <= MAX_LINE) return single;
  return `${head}(\n${params.map((param) => `  ${param},`).join('\n')}\n)${tail}`;
}
