import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A field exactly as the JSON schema spells it (only the keys the generator reads). */
export interface RawField {
  name: string;
  type: string;
  /** Absent on tagged-only fields, whose versions are then their taggedVersions. */
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string | number | boolean;
  ignorable?: boolean;
  flexibleVersions?: string;
  fields?: RawField[];
}

export interface RawStruct {
  name: string;
  versions: string;
  fields: RawField[];
}

export type SchemaKind = 'request' | 'response' | 'header' | 'data';

export interface RawSchema {
  apiKey?: number;
  type: SchemaKind;
  name: string;
  validVersions: string;
  flexibleVersions: string;
  latestVersionUnstable?: boolean;
  listeners?: string[];
  fields: RawField[];
  commonStructs?: RawStruct[];
}

export interface SchemaFile {
  /** Path relative to the schema folder, with forward slashes (stable across platforms). */
  path: string;
  schema: RawSchema;
}

/** The schemas allow whole-line `//` comments, which JSON.parse does not. */
export function stripLineComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*\/\//.test(line))
    .join('\n');
}

export function parseSchema(text: string, path: string): RawSchema {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripLineComments(text));
  } catch (error) {
    throw new Error(`${path}: not valid JSON once comments are removed (${String(error)})`, { cause: error });
  }
  const schema = parsed as RawSchema;
  const kinds: readonly string[] = ['request', 'response', 'header', 'data'];
  if (typeof schema.name !== 'string' || !kinds.includes(schema.type)) {
    throw new Error(`${path}: expected a schema with a name and a type of ${kinds.join('/')}`);
  }
  if (!Array.isArray(schema.fields)) throw new Error(`${path}: schema ${schema.name} has no fields`);
  return schema;
}

function listJsonFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) found.push(...listJsonFiles(full));
    else if (entry.endsWith('.json')) found.push(full);
  }
  return found;
}

/** Every schema under `dir`, subfolders included, in path order so output is deterministic. */
export function loadSchemas(dir: string): SchemaFile[] {
  return listJsonFiles(dir)
    .map((full) => relative(dir, full).split('\\').join('/'))
    .sort()
    .map((path) => ({ path, schema: parseSchema(readFileSync(join(dir, path), 'utf8'), path) }));
}
