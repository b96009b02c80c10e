// Builds everything `npm start`, `npm test` and `npm run dist` need into dist/:
//   dist/node/samsa.js     the CLI (ESM, dependencies left to node_modules; with chunk files beside it)
//   dist/node/broker.js    a broker process of the embedded cluster (only the engine)
//   dist/node/labConsumer.js  the delivery-guarantees lab's consumer process
//   dist/main/main.js      Electron's main process (ESM)
//   dist/main/preload.cjs  the preload (CommonJS: sandboxed preloads cannot be ES modules)
//   dist/renderer/         the React app, by Vite
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();
// Vite resolves the config's root ('renderer') against the working directory.
process.chdir(root);

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
};

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });

await Promise.all([
  esbuild({
    ...common,
    // Split at dynamic imports: `samsa cluster` loads the engine without the admin commands'
    // libraries (see src/cli/main.ts). Chunks sit next to samsa.js and broker.js, which the
    // cluster host finds relative to its own file.
    entryPoints: { samsa: './src/cli/main.ts' },
    outdir: 'dist/node',
    chunkNames: '[name]-[hash]',
    splitting: true,
    format: 'esm',
    packages: 'external',
  }),
  esbuild({
    ...common,
    entryPoints: ['./src/engine/cluster/brokerEntry.ts'],
    outfile: 'dist/node/broker.js',
    format: 'esm',
    packages: 'external',
  }),
  esbuild({
    ...common,
    entryPoints: ['./src/lab/consumerEntry.ts'],
    outfile: 'dist/node/labConsumer.js',
    format: 'esm',
    packages: 'external',
  }),
  esbuild({
    ...common,
    entryPoints: ['./main/main.ts'],
    outfile: 'dist/main/main.js',
    format: 'esm',
    // Everything from src/ is bundled in; npm packages stay external, as electron-builder
    // ships node_modules production dependencies next to dist/.
    packages: 'external',
  }),
  esbuild({
    ...common,
    entryPoints: ['./main/preload.ts'],
    outfile: 'dist/main/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
  viteBuild({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn' }),
]);

/*
 * V8 keeps a script's source in memory, one byte per character only while every character is
 * Latin-1: a single '≤' in a comment made broker.js's 1 MiB source take 2 MiB in every broker
 * (issue 8). esbuild's default ASCII charset escapes such characters in code, so those left sit
 * in the comments it keeps; each UTF-16 unit becomes '?', so source map columns stay right.
 */
async function asciiOnly(file) {
  const text = await readFile(file, 'utf8');
  const ascii = text.replace(/[\u0080-\uffff]/g, '?');
  if (ascii !== text) await writeFile(file, ascii);
}
const nodeBundles = (await readdir(new URL('../dist/node', import.meta.url))).filter((name) => name.endsWith('.js')).map((name) => `dist/node/${name}`);
await Promise.all([...nodeBundles, 'dist/main/main.js'].map((file) => asciiOnly(new URL(`../${file}`, import.meta.url))));

process.stderr.write(`build: dist/ ready in ${Math.round(performance.now() - started)} ms\n`);
