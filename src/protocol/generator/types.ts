import { quote } from './code';
import { isNullableAnywhere, type DefaultValue, type ElementType, type FieldModel, type FieldType } from './model';

/** How each schema type maps to TypeScript; the contract other modules code against. */
export function elementTsType(type: ElementType): string {
  if (type.kind === 'struct') return type.struct.typeName;
  switch (type.name) {
    case 'bool':
      return 'boolean';
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'float64':
      return 'number';
    case 'int64':
      return 'bigint';
    case 'string':
    case 'uuid':
      return 'string';
    case 'bytes':
    case 'records':
      return 'Buffer';
  }
}

export function baseTsType(type: FieldType): string {
  return type.kind === 'array' ? `${elementTsType(type.element)}[]` : elementTsType(type);
}

/** Records are always `Buffer | null`: Kafka's own records fields default to null. */
export function includesNull(field: FieldModel): boolean {
  return isNullableAnywhere(field) || (field.type.kind === 'primitive' && field.type.name === 'records');
}

export function fieldTsType(field: FieldModel): string {
  return includesNull(field) ? `${baseTsType(field.type)} | null` : baseTsType(field.type);
}

export function defaultFunctionName(typeName: string): string {
  return `default${typeName}`;
}

export function isDefaultFunctionName(typeName: string): string {
  return `isDefault${typeName}`;
}

function literal(value: DefaultValue, type: FieldType): string {
  switch (value.kind) {
    case 'null':
      return 'null';
    case 'number':
      return String(value.value);
    case 'bigint':
      return `${value.value}n`;
    case 'boolean':
      return String(value.value);
    case 'string':
      return quote(value.value);
    case 'empty':
      return type.kind === 'array' ? '[]' : 'Buffer.alloc(0)';
    case 'struct':
      return `${defaultFunctionName(baseTsType(type))}()`;
  }
}

/** A fresh default value (arrays, buffers and structs are new objects on every call). */
export function defaultExpression(field: FieldModel): string {
  return literal(field.defaultValue, field.type);
}

/**
 * A condition that holds when `expr` equals the field's default. `needsIsDefault` records the
 * structs whose isDefault helper the condition calls.
 */
export function isDefaultCondition(
  field: FieldModel,
  expr: string,
  needsIsDefault: (typeName: string) => void,
): string {
  const value = field.defaultValue;
  if (value.kind === 'null') return `${expr} === null`;
  let test: string;
  switch (value.kind) {
    case 'empty':
      test = `${expr}.length === 0`;
      break;
    case 'struct': {
      const typeName = baseTsType(field.type);
      needsIsDefault(typeName);
      test = `${isDefaultFunctionName(typeName)}(${expr})`;
      break;
    }
    default:
      test = `${expr} === ${literal(value, field.type)}`;
  }
  const scalar = value.kind === 'number' || value.kind === 'bigint' || value.kind === 'boolean' || value.kind === 'string';
  // A null never equals a non-null default; scalar comparisons already say so on their own.
  return includesNull(field) && !scalar ? `${expr} !== null && ${test}` : test;
}

/** The negation of isDefaultCondition, written without a leading `!(...)` where possible. */
export function isNotDefaultCondition(
  field: FieldModel,
  expr: string,
  needsIsDefault: (typeName: string) => void,
): string {
  const positive = isDefaultCondition(field, expr, needsIsDefault);
  if (/^[\w.]+ === [^&|]+$/.test(positive)) return positive.replace(' === ', ' !== ');
  if (/^[\w.]+\([\w.]+\)$/.test(positive)) return `!${positive}`;
  return `!(${positive})`;
}

const FIXED_SIZES: Readonly<Record<string, number>> = {
  bool: 1,
  int8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  float64: 8,
  uuid: 16,
};

/** Bytes a value of this type takes on the wire when that never varies, else null. */
export function fixedSize(type: FieldType): number | null {
  return type.kind === 'primitive' ? (FIXED_SIZES[type.name] ?? null) : null;
}
