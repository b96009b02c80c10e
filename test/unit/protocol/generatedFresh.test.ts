import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProtocol, writeProtocol } from '../../../src/protocol/generator/generate';

/**
 * The generated codecs are committed so a clone builds without the schemas; this checks they
 * still match what the generator makes from them. The schemas live outside the repository
 * (../shared/kafka-protocol), so where they are absent the check cannot run and says so.
 */
const repoRoot = resolve(import.meta.dirname, '../../..');
const schemaDir = resolve(repoRoot, '../shared/kafka-protocol');
const committedDir = resolve(repoRoot, 'src/protocol/generated');
const schemasPresent = existsSync(schemaDir);
const skipReason = `schemas not found at ${schemaDir}: cannot check that src/protocol/generated is fresh`;
if (!schemasPresent) console.warn(`generatedFresh.test.ts skipped: ${skipReason}`);

describe('committed protocol code', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'samsa-protocol-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('matches a fresh run of the generator (run `npm run generate:protocol` if not)', (context) => {
    context.skip(!schemasPresent, skipReason);
    writeProtocol(scratch, generateProtocol(schemaDir));
    const fresh = readdirSync(scratch).sort();
    const committed = readdirSync(committedDir).filter((name) => name.endsWith('.ts')).sort();
    expect(committed).toEqual(fresh);
    for (const name of fresh) {
      expect(readFileSync(join(committedDir, name), 'utf8'), `${name} is stale`).toBe(
        readFileSync(join(scratch, name), 'utf8'),
      );
    }
  });

  it('is deterministic: two runs give identical files', (context) => {
    context.skip(!schemasPresent, skipReason);
    expect(generateProtocol(schemaDir)).toEqual(generateProtocol(schemaDir));
  });
});
