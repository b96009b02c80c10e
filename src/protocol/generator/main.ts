import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProtocol, writeProtocol } from './generate';

/**
 * `npx tsx src/protocol/generator/main.ts [schemaDir] [outDir]`: regenerates the protocol
 * codecs. Defaults are resolved from the repository root, not the working directory, so
 * the script behaves the same wherever it is started.
 */
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const schemaDir = resolve(process.argv[2] ?? resolve(repoRoot, '../shared/kafka-protocol'));
const outDir = resolve(process.argv[3] ?? resolve(repoRoot, 'src/protocol/generated'));

const files = generateProtocol(schemaDir);
writeProtocol(outDir, files);
console.log(`generated ${files.size} files from ${schemaDir} into ${outDir}`);
