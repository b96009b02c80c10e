import { Code, parameterList } from './code';
import { isNullableAnywhere, type ElementType, type FieldModel, type MessageModel, type StructModel } from './model';
import {
  baseTsType,
  defaultExpression,
  defaultFunctionName,
  fieldTsType,
  fixedSize,
  includesNull,
  isDefaultCondition,
  isDefaultFunctionName,
  isNotDefaultCondition,
} from './types';
import {
  formatVersions,
  intersect,
  isEmpty,
  versionCondition,
  versionConditionNot,
  type VersionCondition,
  type VersionRange,
} from './versions';

/** Names the generated functions use for their own locals; a field with one gets a suffix. */
const RESERVED = new Set([
  'reader', 'writer', 'version', 'flexible', 'value', 'tag', 'size', 'end', 'remaining', 'count',
  'item', 'i', 'tagged', 'taggedBytes', 'break', 'case', 'catch', 'class', 'const', 'continue',
  'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally',
  'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public',
  'await', 'arguments', 'eval',
]);

function localName(field: FieldModel): string {
  return RESERVED.has(field.name) ? `${field.name}Field` : field.name;
}

function writeFunctionName(struct: StructModel): string {
  return `write${struct.typeName}`;
}

function readFunctionName(struct: StructModel): string {
  return `read${struct.typeName}`;
}

/** 'always' / 'never' / a boolean expression, as TypeScript text usable in a call. */
function conditionValue(condition: VersionCondition): string {
  if (condition === 'always') return 'true';
  if (condition === 'never') return 'false';
  return condition;
}

/** Parenthesises an `a || b` condition so it can be joined with `&&`. */
function grouped(condition: string): string {
  return condition.includes('||') ? `(${condition})` : condition;
}

const SCALAR_METHODS: Readonly<Record<string, string>> = {
  bool: 'bool',
  int8: 'int8',
  int16: 'int16',
  uint16: 'uint16',
  int32: 'int32',
  uint32: 'uint32',
  int64: 'int64',
  float64: 'float64',
  uuid: 'uuid',
};

/** Strings, bytes and records: [non-flexible method, compact method]. */
const LENGTH_PREFIXED: Readonly<Record<string, readonly [string, string]>> = {
  string: ['string', 'compactString'],
  bytes: ['bytes', 'compactBytes'],
  records: ['bytes', 'compactBytes'],
};

/** How one field is encoded in a given set of versions. */
interface Encoding {
  /** Versions (within the struct's context) this encoding applies to. */
  present: VersionRange;
  /** 'always' / 'never' / expression: compact encodings in use. */
  flexible: VersionCondition;
  /** Whether null may be written: 'always' / 'never' / expression. */
  nullable: VersionCondition;
  /** Tagged values mark nullable structs with a uvarint instead of an int8. */
  tagged: boolean;
}

class MessageEmitter {
  private readonly isDefaultNeeded = new Set<string>();
  private readonly structsByName = new Map<string, StructModel>();

  constructor(private readonly message: MessageModel) {
    for (const struct of [message.root, ...message.structs]) this.structsByName.set(struct.typeName, struct);
  }

  private needIsDefault = (typeName: string): void => {
    this.isDefaultNeeded.add(typeName);
  };

  emit(header: string): string {
    const { message } = this;
    const structs = [message.root, ...message.structs];
    const body = new Code();
    for (const struct of structs) this.emitInterface(body, struct);
    for (const struct of structs) this.emitDefault(body, struct);
    this.emitEntryPoints(body);
    for (const struct of structs) this.emitWriter(body, struct);
    for (const struct of structs) this.emitReader(body, struct);
    this.emitIsDefaultHelpers(body);

    const file = new Code().line(header);
    const writerImport = body.mentions('new ByteWriter') ? 'import' : 'import type';
    file.line(`import type { ByteReader } from '../primitives/byteReader';`);
    file.line(`${writerImport} { ByteWriter } from '../primitives/byteWriter';`);
    file.line(`import { DecodeError } from '../primitives/decodeError';`);
    file.line(`import { EncodeError } from '../encodeError';`);
    return file.append(body).toString();
  }

  private emitInterface(code: Code, struct: StructModel): void {
    code.line();
    code.block(`export interface ${struct.typeName} {`, () => {
      for (const field of struct.fields) {
        const notes = this.fieldNotes(field, struct.context);
        if (notes !== '') code.line(`/** ${notes} */`);
        code.line(`${field.name}: ${fieldTsType(field)};`);
      }
    });
  }

  /** Versions, nullability and tags, when they are not simply "every version". */
  private fieldNotes(field: FieldModel, context: VersionRange): string {
    const notes: string[] = [];
    if (versionCondition(field.versions, context) !== 'always') notes.push(`Versions ${formatVersions(field.versions)}.`);
    if (isNullableAnywhere(field)) notes.push(`Nullable ${formatVersions(field.nullableVersions)}.`);
    if (field.tag !== null) notes.push(`Tag ${field.tag}.`);
    if (field.ignorable && notes.length > 0) notes.push('Ignorable.');
    return notes.join(' ');
  }

  private emitDefault(code: Code, struct: StructModel): void {
    code.line();
    code.block(`export function ${defaultFunctionName(struct.typeName)}(): ${struct.typeName} {`, () => {
      if (struct.fields.length === 0) {
        code.line('return {};');
        return;
      }
      code.block('return {', () => {
        for (const field of struct.fields) code.line(`${field.name}: ${defaultExpression(field)},`);
      }, '};');
    });
  }

  private emitEntryPoints(code: Code): void {
    const { name, validVersions } = this.message;
    const valid = formatVersions(validVersions);
    const outside = `version < ${validVersions.min} || version > ${validVersions.max ?? validVersions.min}`;
    code.line();
    code.block(
      parameterList(`export function encode${name}`, ['writer: ByteWriter', `message: ${name}`, 'version: number'], ': void {'),
      () => {
        code.block(`if (${outside}) {`, () => {
          code.line(parameterList('throw new EncodeError', [`\`${name} has no version \${version} (valid: ${valid})\``], ';'));
        });
        code.line(`${writeFunctionName(this.message.root)}(writer, message, version);`);
      },
    );
    code.line();
    code.block(parameterList(`export function decode${name}`, ['reader: ByteReader', 'version: number'], `: ${name} {`), () => {
      code.block(`if (${outside}) {`, () => {
        code.line(
          parameterList(
            'throw new DecodeError',
            [`'unsupported-version'`, `\`${name} has no version \${version} (valid: ${valid})\``, 'reader.offset'],
            ';',
          ),
        );
      });
      code.line(`return ${readFunctionName(this.message.root)}(reader, version);`);
    });
  }

  private flexibleCondition(field: FieldModel, present: VersionRange): VersionCondition {
    const range = field.flexibleVersions ?? this.message.flexibleVersions;
    const condition = versionCondition(range, present);
    if (condition === 'always' || condition === 'never' || field.flexibleVersions !== null) return condition;
    return 'flexible';
  }

  private encoding(field: FieldModel, present: VersionRange, tagged: boolean): Encoding {
    return {
      present,
      flexible: tagged ? 'always' : this.flexibleCondition(field, present),
      nullable: versionCondition(field.nullableVersions, present),
      tagged,
    };
  }

  // ---- writing ----

  private emitWriter(code: Code, struct: StructModel): void {
    const body = new Code();
    const context = struct.context;
    for (const field of struct.fields) {
      const presence = versionCondition(field.versions, context);
      const access = `value.${field.name}`;
      const notDefault = (): string => isNotDefaultCondition(field, access, this.needIsDefault);
      const refuse = (): void => {
        body.line(
          parameterList(
            'throw new EncodeError',
            [
              `\`${struct.typeName}.${field.schemaName} exists only in versions ${formatVersions(field.versions)}: ` +
                'cannot send a non-default value in version ${version}`',
            ],
            ';',
          ),
        );
      };
      if (field.tag !== null || presence === 'never') {
        if (presence === 'always' || field.ignorable) continue;
        const absent = versionConditionNot(field.versions, context);
        const guard = absent === 'always' ? notDefault() : `${grouped(absent)} && ${notDefault()}`;
        body.block(`if (${guard}) {`, refuse);
        continue;
      }
      const present = intersect(field.versions, context);
      const write = (): void => this.emitWriteValue(body, 'writer', field, access, this.encoding(field, present, false));
      if (presence === 'always') {
        write();
      } else if (field.ignorable) {
        body.block(`if (${presence}) {`, write);
      } else {
        body.block(`if (${presence}) {`, write, `} else if (${notDefault()}) {`);
        body.indented(refuse);
        body.line('}');
      }
    }
    this.emitWriteTaggedFields(body, struct);

    code.line();
    code.block(
      parameterList(
        `function ${writeFunctionName(struct)}`,
        ['writer: ByteWriter', `value: ${struct.typeName}`, 'version: number'],
        ': void {',
      ),
      () => {
        if (body.mentions('flexible')) {
          code.line(`const flexible = ${conditionValue(versionCondition(this.message.flexibleVersions, context))};`);
        }
        code.append(body);
      },
    );
  }

  private emitWriteTaggedFields(code: Code, struct: StructModel): void {
    const flexibleHere = versionCondition(this.message.flexibleVersions, struct.context);
    if (flexibleHere === 'never') return;
    const taggedContext = intersect(this.message.flexibleVersions, struct.context);
    const fields = struct.fields
      .filter((field) => field.tag !== null && !isEmpty(intersect(field.versions, taggedContext)))
      .sort((a, b) => a.tag! - b.tag!);
    const section = (): void => {
      if (fields.length === 0) {
        code.line('writer.uvarint(0);');
        return;
      }
      for (const field of fields) {
        const presence = versionCondition(field.versions, taggedContext);
        const notDefault = isNotDefaultCondition(field, `value.${field.name}`, this.needIsDefault);
        const when = presence === 'always' ? notDefault : `${grouped(presence)} && ${notDefault}`;
        code.line(`const ${field.name}Tagged = ${when};`);
      }
      const count = fields.map((field) => `(${field.name}Tagged ? 1 : 0)`).join(' + ');
      code.line(`writer.uvarint(${count});`);
      for (const field of fields) {
        code.block(`if (${field.name}Tagged) {`, () => {
          const encoding = this.encoding(field, intersect(field.versions, taggedContext), true);
          const access = `value.${field.name}`;
          const size = fixedSize(field.type);
          if (size !== null) {
            code.line(`writer.uvarint(${field.tag}).uvarint(${size});`);
            this.emitWriteValue(code, 'writer', field, access, encoding);
            return;
          }
          code.line('const tagged = new ByteWriter();');
          this.emitWriteValue(code, 'tagged', field, access, encoding);
          code.line('const taggedBytes = tagged.toBuffer();');
          code.line(`writer.uvarint(${field.tag}).uvarint(taggedBytes.length).raw(taggedBytes);`);
        });
      }
    };
    if (flexibleHere === 'always') section();
    else code.block('if (flexible) {', section);
  }

  private emitWriteValue(code: Code, writer: string, field: FieldModel, access: string, encoding: Encoding): void {
    if (includesNull(field) && encoding.nullable !== 'always') {
      const forbidden = encoding.nullable === 'never' ? `${access} === null` : `${access} === null && ${grouped(versionConditionNot(field.nullableVersions, encoding.present))}`;
      code.block(`if (${forbidden}) {`, () => {
        code.line(
          parameterList(
            'throw new EncodeError',
            [`\`${field.schemaName} cannot be null in version \${version} of ${this.message.name}\``],
            ';',
          ),
        );
      });
    }
    const type = field.type;
    if (type.kind === 'array') {
      const flexible = conditionValue(encoding.flexible);
      const loop = (): void => {
        code.line(`${writer}.arrayLength(${access}.length, ${flexible});`);
        code.block(`for (const item of ${access}) {`, () => {
          code.line(this.writeElement(writer, type.element, 'item', encoding.flexible));
        });
      };
      if (includesNull(field)) {
        code.block(`if (${access} === null) {`, () => code.line(`${writer}.arrayLength(null, ${flexible});`), '} else {');
        code.indented(loop);
        code.line('}');
      } else {
        loop();
      }
      return;
    }
    if (type.kind === 'struct' && includesNull(field)) {
      const [absent, present] = encoding.tagged ? ['uvarint(0)', 'uvarint(1)'] : ['int8(-1)', 'int8(1)'];
      code.block(`if (${access} === null) {`, () => code.line(`${writer}.${absent};`), '} else {');
      code.indented(() => {
        if (encoding.nullable === 'always') code.line(`${writer}.${present};`);
        else code.line(`if (${encoding.nullable}) ${writer}.${present};`);
        code.line(this.writeElement(writer, type, access, encoding.flexible));
      });
      code.line('}');
      return;
    }
    code.line(this.writeElement(writer, type, access, encoding.flexible));
  }

  /** One statement writing a non-array value (which may be null only where allowed). */
  private writeElement(writer: string, type: ElementType, expr: string, flexible: VersionCondition): string {
    if (type.kind === 'struct') return `${writeFunctionName(type.struct)}(${writer}, ${expr}, version);`;
    const scalar = SCALAR_METHODS[type.name];
    if (scalar !== undefined) return `${writer}.${scalar}(${expr});`;
    const [plain, compact] = LENGTH_PREFIXED[type.name]!;
    if (flexible === 'always') return `${writer}.${compact}(${expr});`;
    if (flexible === 'never') return `${writer}.${plain}(${expr});`;
    return `if (${flexible}) ${writer}.${compact}(${expr});
else ${writer}.${plain}(${expr});`;
  }

  // ---- reading ----

  private emitReader(code: Code, struct: StructModel): void {
    const body = new Code();
    const context = struct.context;
    for (const field of struct.fields) {
      const presence = versionCondition(field.versions, context);
      const name = localName(field);
      const type = fieldTsType(field);
      if (field.tag !== null || presence === 'never') {
        const keyword = field.tag !== null && presence !== 'never' ? 'let' : 'const';
        body.line(`${keyword} ${name}: ${type} = ${defaultExpression(field)};`);
        continue;
      }
      const encoding = this.encoding(field, intersect(field.versions, context), false);
      if (presence === 'always') {
        this.emitReadValue(body, name, field, encoding, 'declare');
      } else {
        body.line(`let ${name}: ${type} = ${defaultExpression(field)};`);
        body.block(`if (${presence}) {`, () => this.emitReadValue(body, name, field, encoding, 'fill'));
      }
    }
    this.emitReadTaggedFields(body, struct);
    const properties = struct.fields.map((field) => {
      const name = localName(field);
      return name === field.name ? name : `${field.name}: ${name}`;
    });

    code.line();
    const signature = parameterList(
      `function ${readFunctionName(struct)}`,
      ['reader: ByteReader', 'version: number'],
      `: ${struct.typeName} {`,
    );
    code.block(signature, () => {
      if (body.mentions('flexible')) {
        code.line(`const flexible = ${conditionValue(versionCondition(this.message.flexibleVersions, context))};`);
      }
      code.append(body);
      if (properties.length === 0) code.line('return {};');
      else if (properties.join(', ').length < 80) code.line(`return { ${properties.join(', ')} };`);
      else code.block('return {', () => properties.forEach((property) => code.line(`${property},`)), '};');
    });
  }

  /**
   * Reads a field into `target`. 'declare' declares it (the field is read in every version);
   * 'fill' overwrites a variable already holding the default; 'replace' is 'fill' for a
   * tagged field, whose variable may already hold a value read earlier in the same section.
   */
  private emitReadValue(
    code: Code,
    target: string,
    field: FieldModel,
    encoding: Encoding,
    mode: 'declare' | 'fill' | 'replace',
  ): void {
    const type = field.type;
    const nullable = conditionValue(encoding.nullable);
    if (type.kind !== 'array') {
      let expr: string;
      if (type.kind === 'struct' && encoding.nullable !== 'never') {
        const marker = encoding.tagged ? 'reader.uvarint() === 0' : 'reader.int8() < 0';
        const test = encoding.nullable === 'always' ? marker : `${grouped(encoding.nullable)} && ${marker}`;
        expr = `${test} ? null : ${readFunctionName(type.struct)}(reader, version)`;
      } else {
        expr = this.readElement(type, encoding.flexible, nullable);
      }
      if (mode === 'declare') code.line(`const ${target} = ${expr};`);
      else code.line(`${target} = ${expr};`);
      return;
    }
    const flexible = conditionValue(encoding.flexible);
    const element = this.readElement(type.element, encoding.flexible, 'false');
    if (encoding.nullable === 'never') {
      if (mode === 'declare') code.line(`const ${target}: ${baseTsType(type)} = [];`);
      if (mode === 'replace') code.line(`${target} = [];`);
      code.block(`for (let i = reader.arrayLength(${flexible}, false)!; i > 0; i--) {`, () => {
        code.line(`${target}.push(${element});`);
      });
      return;
    }
    if (mode === 'declare') code.line(`let ${target}: ${fieldTsType(field)} = null;`);
    code.line(`const ${target}Count = reader.arrayLength(${flexible}, ${nullable});`);
    code.block(`if (${target}Count === null) {`, () => code.line(`${target} = null;`), '} else {');
    code.indented(() => {
      code.line(`${target} = [];`);
      code.block(`for (let i = 0; i < ${target}Count; i++) {`, () => code.line(`${target}.push(${element});`));
    });
    code.line('}');
  }

  /** An expression reading one non-array value. */
  private readElement(type: ElementType, flexible: VersionCondition, nullable: string): string {
    if (type.kind === 'struct') return `${readFunctionName(type.struct)}(reader, version)`;
    const scalar = SCALAR_METHODS[type.name];
    if (scalar !== undefined) return `reader.${scalar}()`;
    const [plain, compact] = LENGTH_PREFIXED[type.name]!;
    if (flexible === 'always') return `reader.${compact}(${nullable})`;
    if (flexible === 'never') return `reader.${plain}(${nullable})`;
    return `${flexible} ? reader.${compact}(${nullable}) : reader.${plain}(${nullable})`;
  }

  private emitReadTaggedFields(code: Code, struct: StructModel): void {
    const flexibleHere = versionCondition(this.message.flexibleVersions, struct.context);
    if (flexibleHere === 'never') return;
    const taggedContext = intersect(this.message.flexibleVersions, struct.context);
    const fields = struct.fields
      .filter((field) => field.tag !== null && !isEmpty(intersect(field.versions, taggedContext)))
      .sort((a, b) => a.tag! - b.tag!);
    const section = (): void => {
      code.block('for (let remaining = reader.uvarint(); remaining > 0; remaining--) {', () => {
        if (fields.length === 0) {
          // Tags unknown to this version are skipped (KIP-482).
          code.line('reader.uvarint();');
          code.line('reader.skip(reader.uvarint());');
          return;
        }
        code.line('const tag = reader.uvarint();');
        code.line('const size = reader.uvarint();');
        code.line('const end = reader.offset + size;');
        fields.forEach((field, index) => {
          const presence = versionCondition(field.versions, taggedContext);
          const test = presence === 'always' ? `tag === ${field.tag}` : `tag === ${field.tag} && ${grouped(presence)}`;
          const head = index === 0 ? `if (${test}) {` : `} else if (${test}) {`;
          code.line(head);
          code.indented(() => {
            const encoding = this.encoding(field, intersect(field.versions, taggedContext), true);
            this.emitReadValue(code, localName(field), field, encoding, 'replace');
          });
        });
        code.block('} else {', () => {
          code.line('reader.skip(size);');
          code.line('continue;');
        });
        code.block('if (reader.offset !== end) {', () => {
          code.line(
            parameterList(
              'throw new DecodeError',
              [
                `'invalid-value'`,
                `\`${struct.typeName} tagged field \${tag} is \${size} bytes but its value took \${reader.offset - end + size}\``,
                'reader.offset',
              ],
              ';',
            ),
          );
        });
      });
    };
    if (flexibleHere === 'always') section();
    else code.block('if (flexible) {', section);
  }

  // ---- defaults ----

  private emitIsDefaultHelpers(code: Code): void {
    // Helpers can ask for further helpers (nested structs), so drain until none are new.
    const emitted = new Set<string>();
    const order = [this.message.root, ...this.message.structs].map((struct) => struct.typeName);
    for (;;) {
      const next = order.find((name) => this.isDefaultNeeded.has(name) && !emitted.has(name));
      if (next === undefined) break;
      emitted.add(next);
      const struct = this.structsByName.get(next)!;
      const tests = struct.fields.map((field) => isDefaultCondition(field, `value.${field.name}`, this.needIsDefault));
      code.line();
      code.block(`function ${isDefaultFunctionName(next)}(value: ${next}): boolean {`, () => {
        if (tests.length === 0) {
          code.line('return true;');
          return;
        }
        code.line('return (');
        code.indented(() => tests.forEach((test, index) => code.line(index === 0 ? test : `&& ${test}`)));
        code.line(');');
      });
    }
  }
}

/**
 * One message's file: interfaces, defaults, and straight-line codecs with one `version` test
 * per versioned field, because these run on the broker's hot path (no schema interpretation
 * at run time, no closures per field).
 */
export function emitMessage(message: MessageModel, header: string): string {
  return new MessageEmitter(message).emit(header);
}
