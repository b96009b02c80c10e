import { ZERO_UUID } from '../primitives/byteReader';
import type { RawField, RawSchema, RawStruct, SchemaKind } from './schema';
import {
  NO_VERSIONS,
  hull,
  intersect,
  isEmpty,
  parseVersions,
  type VersionRange,
} from './versions';

export type PrimitiveName =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'uuid'
  | 'bytes'
  | 'records';

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveName>([
  'bool', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'float64',
  'string', 'uuid', 'bytes', 'records',
]);

export type ElementType =
  | { kind: 'primitive'; name: PrimitiveName }
  | { kind: 'struct'; struct: StructModel };

export type FieldType = ElementType | { kind: 'array'; element: ElementType };

/** A schema default, already parsed to the value the field holds in TypeScript. */
export type DefaultValue =
  | { kind: 'null' }
  | { kind: 'number'; value: number }
  | { kind: 'bigint'; value: bigint }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'empty' } // empty array, bytes or records
  | { kind: 'struct' }; // the struct with all its own defaults

export interface FieldModel {
  /** The schema's name, used in error messages. */
  schemaName: string;
  /** The camelCase property name. */
  name: string;
  type: FieldType;
  versions: VersionRange;
  /** Versions in which the field may be null (already limited to `versions`). */
  nullableVersions: VersionRange;
  taggedVersions: VersionRange;
  tag: number | null;
  ignorable: boolean;
  /** A per-field override of the message's flexible versions (RequestHeader.ClientId). */
  flexibleVersions: VersionRange | null;
  defaultValue: DefaultValue;
}

export interface StructModel {
  /** The interface name: the message name, plus the schema's struct name for nested ones. */
  typeName: string;
  fields: FieldModel[];
  /** Every version in which the struct can be encoded (hull of its uses). */
  context: VersionRange;
}

export interface MessageModel {
  name: string;
  /** camelCase file name without extension. */
  fileName: string;
  kind: SchemaKind;
  apiKey: number | null;
  validVersions: VersionRange;
  flexibleVersions: VersionRange;
  latestVersionUnstable: boolean;
  listeners: string[];
  root: StructModel;
  /** Nested structs, in order of first appearance (depth first). */
  structs: StructModel[];
}

export function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function isNullableAnywhere(field: FieldModel): boolean {
  return !isEmpty(field.nullableVersions);
}

function parseDefault(raw: RawField, type: FieldType, nullable: boolean, where: string): DefaultValue {
  const given = raw.default;
  if (given === 'null') {
    if (!nullable) throw new Error(`${where}: default null on a field that is never nullable`);
    return { kind: 'null' };
  }
  if (type.kind === 'array') {
    if (given !== undefined) throw new Error(`${where}: arrays only take a null default`);
    return { kind: 'empty' };
  }
  if (type.kind === 'struct') {
    if (given !== undefined) throw new Error(`${where}: structs only take a null default`);
    return { kind: 'struct' };
  }
  switch (type.name) {
    case 'bool':
      return { kind: 'boolean', value: given === true || given === 'true' };
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'float64': {
      const value = given === undefined ? 0 : Number(given);
      if (Number.isNaN(value)) throw new Error(`${where}: default ${String(given)} is not a number`);
      return { kind: 'number', value };
    }
    case 'int64':
      return { kind: 'bigint', value: given === undefined ? 0n : BigInt(given) };
    case 'string':
      return { kind: 'string', value: given === undefined ? '' : String(given) };
    case 'uuid':
      if (given !== undefined) throw new Error(`${where}: uuid defaults are not supported`);
      return { kind: 'string', value: ZERO_UUID };
    case 'bytes':
      if (given !== undefined) throw new Error(`${where}: bytes only take a null default`);
      return { kind: 'empty' };
    case 'records':
      // Kafka's records fields default to null; a never-null one (FetchSnapshot's
      // UnalignedRecords) defaults to no bytes so its default still encodes.
      return nullable ? { kind: 'null' } : { kind: 'empty' };
  }
}


function sameRange(a: VersionRange, b: VersionRange): boolean {
  return a.min === b.min && a.max === b.max;
}

class MessageBuilder {
  private readonly structs = new Map<string, { model: StructModel; fields: RawField[] }>();
  private readonly order: StructModel[] = [];
  private readonly common = new Map<string, RawStruct>();

  constructor(
    private readonly schema: RawSchema,
    private readonly path: string,
  ) {
    for (const struct of schema.commonStructs ?? []) this.common.set(struct.name, struct);
  }

  build(context: VersionRange): StructModel {
    return { typeName: this.schema.name, fields: this.fields(this.schema.fields, context, this.schema.name), context };
  }

  nested(): StructModel[] {
    return this.order;
  }

  private fields(raws: RawField[], context: VersionRange, owner: string): FieldModel[] {
    const names = new Set<string>();
    return raws.map((raw) => {
      const field = this.field(raw, context, `${this.path} ${owner}.${raw.name}`);
      if (names.has(field.name)) throw new Error(`${this.path}: duplicate field ${owner}.${raw.name}`);
      names.add(field.name);
      return field;
    });
  }

  private field(raw: RawField, context: VersionRange, where: string): FieldModel {
    const versionText = raw.versions ?? raw.taggedVersions;
    if (versionText === undefined) throw new Error(`${where}: field has no versions`);
    const versions = parseVersions(versionText, where);
    const type = this.fieldType(raw, intersect(context, versions), where);
    const nullableVersions = intersect(
      versions,
      raw.nullableVersions === undefined ? NO_VERSIONS : parseVersions(raw.nullableVersions, where),
    );
    const nullable = !isEmpty(nullableVersions);
    if (nullable && type.kind === 'primitive' && !['string', 'bytes', 'records'].includes(type.name)) {
      throw new Error(`${where}: a ${type.name} cannot be nullable`);
    }
    const taggedVersions =
      raw.taggedVersions === undefined ? NO_VERSIONS : parseVersions(raw.taggedVersions, where);
    if (!isEmpty(taggedVersions)) {
      if (raw.tag === undefined) throw new Error(`${where}: tagged without a tag`);
      // Kafka allows a field to be tagged in only some of its versions; no schema does, so
      // the emitter can treat a tagged field as tagged wherever it exists.
      if (!sameRange(taggedVersions, versions)) {
        throw new Error(`${where}: taggedVersions must equal versions`);
      }
    }
    return {
      schemaName: raw.name,
      name: lowerCamel(raw.name),
      type,
      versions,
      nullableVersions,
      taggedVersions,
      tag: isEmpty(taggedVersions) ? null : (raw.tag ?? null),
      ignorable: raw.ignorable === true,
      flexibleVersions:
        raw.flexibleVersions === undefined ? null : parseVersions(raw.flexibleVersions, where),
      defaultValue: parseDefault(raw, type, nullable, where),
    };
  }

  private fieldType(raw: RawField, context: VersionRange, where: string): FieldType {
    const isArray = raw.type.startsWith('[]');
    const base = isArray ? raw.type.slice(2) : raw.type;
    const element: ElementType = PRIMITIVES.has(base)
      ? { kind: 'primitive', name: base as PrimitiveName }
      : { kind: 'struct', struct: this.struct(base, raw, context, where) };
    if (!isArray) return element;
    if (element.kind === 'primitive' && element.name === 'records') {
      throw new Error(`${where}: arrays of records are not supported`);
    }
    return { kind: 'array', element };
  }

  private struct(name: string, raw: RawField, context: VersionRange, where: string): StructModel {
    const definition = raw.fields ?? this.common.get(name)?.fields;
    if (definition === undefined) throw new Error(`${where}: unknown type ${name}`);
    let entry = this.structs.get(name);
    if (entry !== undefined && entry.fields !== definition) {
      throw new Error(`${where}: struct ${name} is defined twice`);
    }
    if (entry === undefined) {
      // Structs are named after their message unless their schema name already starts with it
      // (MetadataResponse's MetadataResponseTopic), which would otherwise be said twice.
      const typeName = name.startsWith(this.schema.name) ? name : this.schema.name + name;
      entry = { model: { typeName, fields: [], context: NO_VERSIONS }, fields: definition };
      this.structs.set(name, entry);
      this.order.push(entry.model);
    }
    // A common struct used from several places must encode in all of their versions, so
    // its field conditions are written against the hull of every use.
    const widened = hull(entry.model.context, context);
    if (!sameRange(widened, entry.model.context) || entry.model.fields.length === 0) {
      entry.model.context = widened;
      entry.model.fields = this.fields(definition, widened, name);
    }
    return entry.model;
  }
}

export function buildMessage(schema: RawSchema, path: string): MessageModel {
  const validVersions = parseVersions(schema.validVersions, path);
  const flexibleVersions = intersect(parseVersions(schema.flexibleVersions, path), validVersions);
  const builder = new MessageBuilder(schema, path);
  const root = builder.build(validVersions);
  return {
    name: schema.name,
    fileName: lowerCamel(schema.name),
    kind: schema.type,
    apiKey: schema.apiKey ?? null,
    validVersions,
    flexibleVersions,
    latestVersionUnstable: schema.latestVersionUnstable === true,
    listeners: [...(schema.listeners ?? [])],
    root,
    structs: builder.nested(),
  };
}
