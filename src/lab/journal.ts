import fs from 'node:fs';

/**
 * A consumer's processing journal: one JSON line per processed record (and, for
 * consume-transform-produce, per committed transaction). Lines are written synchronously
 * before the consumer moves on, so a SIGKILL never erases processing that happened: the
 * journal is the consumer's side effect, the thing at-most/at-least/exactly-once is about.
 */
export type JournalEntry =
  | { kind: 'processed'; instance: number; id: number; txn: number | null; partition: number; offset: number }
  | { kind: 'committed'; instance: number; ids: number[] };

export class JournalWriter {
  private readonly fd: number;

  constructor(path: string) {
    this.fd = fs.openSync(path, 'a');
  }

  write(entry: JournalEntry): void {
    fs.writeSync(this.fd, `${JSON.stringify(entry)}\n`);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Reads what was appended since the last call; a half-written last line waits for the next. */
export class JournalTail {
  private position = 0;
  private partial = '';

  constructor(private readonly path: string) {}

  read(): JournalEntry[] {
    if (!fs.existsSync(this.path)) return [];
    const fd = fs.openSync(this.path, 'r');
    try {
      const chunks: Buffer[] = [];
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const read = fs.readSync(fd, buffer, 0, buffer.length, this.position);
        if (read === 0) break;
        chunks.push(Buffer.from(buffer.subarray(0, read)));
        this.position += read;
      }
      const text = this.partial + Buffer.concat(chunks).toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      return lines.filter((line) => line.length > 0).map((line) => JSON.parse(line) as JournalEntry);
    } finally {
      fs.closeSync(fd);
    }
  }
}
