#!/usr/bin/env node
// The `samsa` command. The CLI itself is bundled by `npm run build` into dist/node/samsa.js.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/node/samsa.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('samsa: dist/node/samsa.js is missing; run `npm run build` first\n');
  process.exit(1);
}
await import(bundle.href);
