import { Code, quote } from './code';
import type { FieldModel, FieldType, MessageModel } from './model';
import { formatVersions, isEmpty } from './versions';

/**
 * The files that tie the per-message modules together: apis.ts (API keys, descriptors and
 * key-to-type maps), messageSchemas.ts (the schemas as plain data) and index.ts.
 */

export interface ApiPair {
  key: number;
  /** The schema name without "Request", e.g. "Produce". */
  name: string;
  request: MessageModel;
  response: MessageModel;
}

function firstFlexible(message: MessageModel): string {
  return isEmpty(message.flexibleVersions) ? 'null' : String(message.flexibleVersions.min);
}

export function emitApis(pairs: readonly ApiPair[], header: string): string {
  const code = new Code().line(header);
  code.line(`import type { ByteReader } from '../primitives/byteReader';`);
  code.line(`import type { ByteWriter } from '../primitives/byteWriter';`);
  for (const { request, response } of pairs) {
    for (const message of [request, response]) {
      code.line(
        `import { decode${message.name}, encode${message.name}, type ${message.name} } from './${message.fileName}';`,
      );
    }
  }

  code.line();
  code.block('export const ApiKey = {', () => {
    for (const pair of pairs) code.line(`${pair.name}: ${pair.key},`);
  }, '} as const;');
  code.line();
  code.line('export type ApiKeyName = keyof typeof ApiKey;');
  code.line('export type ApiKeyValue = (typeof ApiKey)[ApiKeyName];');

  for (const [mapName, side] of [['RequestByKey', 'request'], ['ResponseByKey', 'response']] as const) {
    code.line();
    code.block(`export interface ${mapName} {`, () => {
      for (const pair of pairs) code.line(`[ApiKey.${pair.name}]: ${pair[side].name};`);
    });
  }

  code.line();
  code.block('export interface ApiDescriptor<K extends ApiKeyValue = ApiKeyValue> {', () => {
    code.line('readonly key: K;');
    code.line('readonly name: ApiKeyName;');
    code.line('readonly minVersion: number;');
    code.line('readonly maxVersion: number;');
    code.line('/** Kafka marks the newest version as still changing; brokers do not advertise it by default. */');
    code.line('readonly latestVersionUnstable: boolean;');
    code.line('/** First flexible (KIP-482) request version, or null when none is. */');
    code.line('readonly firstFlexibleVersion: number | null;');
    code.line('readonly responseFirstFlexibleVersion: number | null;');
    code.line('/** Where Kafka serves the API: "broker", "controller", "zkBroker". */');
    code.line('readonly listeners: readonly string[];');
    code.line('encodeRequest(writer: ByteWriter, message: RequestByKey[K], version: number): void;');
    code.line('decodeRequest(reader: ByteReader, version: number): RequestByKey[K];');
    code.line('encodeResponse(writer: ByteWriter, message: ResponseByKey[K], version: number): void;');
    code.line('decodeResponse(reader: ByteReader, version: number): ResponseByKey[K];');
  });

  code.line();
  code.line('/** Every API, keyed by API key; each entry is typed by its own key. */');
  code.block('export const API_DESCRIPTORS: { readonly [K in ApiKeyValue]: ApiDescriptor<K> } = {', () => {
    for (const { name, request, response } of pairs) {
      code.block(`[ApiKey.${name}]: {`, () => {
        code.line(`key: ApiKey.${name},`);
        code.line(`name: ${quote(name)},`);
        code.line(`minVersion: ${request.validVersions.min},`);
        code.line(`maxVersion: ${request.validVersions.max ?? request.validVersions.min},`);
        code.line(`latestVersionUnstable: ${request.latestVersionUnstable},`);
        code.line(`firstFlexibleVersion: ${firstFlexible(request)},`);
        code.line(`responseFirstFlexibleVersion: ${firstFlexible(response)},`);
        code.line(`listeners: [${request.listeners.map(quote).join(', ')}],`);
        code.line(`encodeRequest: encode${request.name},`);
        code.line(`decodeRequest: decode${request.name},`);
        code.line(`encodeResponse: encode${response.name},`);
        code.line(`decodeResponse: decode${response.name},`);
      }, '},');
    }
  }, '};');

  return code.toString();
}

function typeText(type: FieldType): string {
  if (type.kind === 'array') return `[]${typeText(type.element)}`;
  return type.kind === 'struct' ? type.struct.typeName : type.name;
}

function fieldEntry(field: FieldModel): string {
  const parts = [
    `name: ${quote(field.name)}`,
    `type: ${quote(typeText(field.type))}`,
    `versions: ${quote(formatVersions(field.versions))}`,
  ];
  if (!isEmpty(field.nullableVersions)) parts.push(`nullableVersions: ${quote(formatVersions(field.nullableVersions))}`);
  if (field.tag !== null) parts.push(`tag: ${field.tag}`);
  if (field.ignorable) parts.push('ignorable: true');
  if (field.flexibleVersions !== null) parts.push(`flexibleVersions: ${quote(formatVersions(field.flexibleVersions))}`);
  return `{ ${parts.join(', ')} },`;
}

export function emitMessageSchemas(messages: readonly MessageModel[], header: string): string {
  const code = new Code().line(header);
  code.line();
  code.line('/** A field as data: type names are the generated interface names, `[]T` for arrays. */');
  code.block('export interface FieldSchema {', () => {
    code.line('readonly name: string;');
    code.line('readonly type: string;');
    code.line('readonly versions: string;');
    code.line('readonly nullableVersions?: string;');
    code.line('/** Tagged (KIP-482) in every version the field exists in. */');
    code.line('readonly tag?: number;');
    code.line('readonly ignorable?: boolean;');
    code.line('readonly flexibleVersions?: string;');
  });
  code.line();
  code.block('export interface MessageSchema {', () => {
    code.line('readonly name: string;');
    code.line(`readonly kind: 'request' | 'response' | 'header' | 'data';`);
    code.line('readonly apiKey: number | null;');
    code.line('readonly validVersions: string;');
    code.line('readonly flexibleVersions: string;');
    code.line('/** Fields of the message (under its own name) and of each nested struct. */');
    code.line('readonly structs: Readonly<Record<string, readonly FieldSchema[]>>;');
  });
  code.line();
  code.line('/** The message schemas as data (names, types, versions), for tools and tests. */');
  code.block('export const MESSAGE_SCHEMAS: readonly MessageSchema[] = [', () => {
    for (const message of messages) {
      code.block('{', () => {
        code.line(`name: ${quote(message.name)},`);
        code.line(`kind: ${quote(message.kind)},`);
        code.line(`apiKey: ${message.apiKey ?? 'null'},`);
        code.line(`validVersions: ${quote(formatVersions(message.validVersions))},`);
        code.line(`flexibleVersions: ${quote(formatVersions(message.flexibleVersions))},`);
        code.block('structs: {', () => {
          for (const struct of [message.root, ...message.structs]) {
            if (struct.fields.length === 0) {
              code.line(`${struct.typeName}: [],`);
              continue;
            }
            code.block(`${struct.typeName}: [`, () => struct.fields.forEach((field) => code.line(fieldEntry(field))), '],');
          }
        }, '},');
      }, '},');
    }
  }, '];');
  return code.toString();
}

export function emitIndex(fileNames: readonly string[], header: string): string {
  const code = new Code().line(header);
  for (const name of [...fileNames].sort()) code.line(`export * from './${name}';`);
  return code.toString();
}
