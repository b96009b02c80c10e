import { readFileSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DescriptorPool } from '../../../../src/engine/log/descriptorPool';
import { tempDir } from '../../../helpers/batches';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('samsa-descriptors-'));
});
afterEach(() => cleanup());

const openDescriptors = () => readdirSync('/proc/self/fd').length;

describe('DescriptorPool', () => {
  it('keeps at most its capacity open and reopens an evicted file where writes continue', () => {
    const pool = new DescriptorPool(2);
    const files = ['a', 'b', 'c'].map((name) => ({ path: join(dir, name) }));
    const before = openDescriptors();
    for (const file of files) writeSync(pool.acquire(file), `${file.path.slice(-1)}1`, 0);
    expect(pool.size).toBe(2);
    expect(openDescriptors()).toBe(before + 2);
    // "a" was closed for room; writing to it again reopens it without truncating.
    writeSync(pool.acquire(files[0]!), 'a2', 2);
    expect(readFileSync(files[0]!.path, 'utf8')).toBe('a1a2');
    expect(pool.size).toBe(2);
    for (const file of files) pool.release(file);
    expect(pool.size).toBe(0);
    expect(openDescriptors()).toBe(before);
  });

  it('closes the least recently used file first', () => {
    const pool = new DescriptorPool(2);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => ({ path: join(dir, name) }));
    const fdA = pool.acquire(a!);
    pool.acquire(b!);
    expect(pool.acquire(a!)).toBe(fdA);
    pool.acquire(c!);
    // b was least recently used, so a keeps its descriptor.
    expect(pool.acquire(a!)).toBe(fdA);
    for (const file of [a!, b!, c!]) pool.release(file);
  });
});
