/**
 * The config changes of AlterConfigs and IncrementalAlterConfigs (KIP-339), applied to a set
 * of overrides, for any resource: topics and brokers differ only in which names they know.
 */
import { ConfigType, type ConfigDefinition } from './configDefinitions';

export type ConfigOperation = { name: string; op: 'set' | 'delete' | 'append' | 'subtract'; value: string | null };

export type ConfigChangeResult = { overrides: Record<string, string> } | { unknownName: string } | { invalid: string };

/**
 * The overrides after `operations`, or the first problem. `replace` (AlterConfigs) starts
 * from no overrides at all, like Kafka's non-incremental API.
 */
export function applyConfigOperations(
  current: Readonly<Record<string, string>>,
  operations: readonly ConfigOperation[],
  replace: boolean,
  definitionOf: (name: string) => ConfigDefinition | undefined,
): ConfigChangeResult {
  const next: Record<string, string> = replace ? {} : { ...current };
  for (const operation of operations) {
    const definition = definitionOf(operation.name);
    if (definition === undefined) return { unknownName: operation.name };
    const value = next[operation.name] ?? definition.defaultValue;
    switch (operation.op) {
      case 'set':
        if (operation.value === null) return { invalid: `No value given for ${operation.name}` };
        next[operation.name] = operation.value;
        break;
      case 'delete':
        delete next[operation.name];
        break;
      case 'append':
      case 'subtract': {
        if (definition.type !== ConfigType.List) return { invalid: `${operation.name} is not a list; it cannot be appended to or subtracted from` };
        const items = value === '' ? [] : value.split(',').map((item) => item.trim());
        const given = (operation.value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
        const result = operation.op === 'append' ? [...items, ...given.filter((item) => !items.includes(item))] : items.filter((item) => !given.includes(item));
        next[operation.name] = result.join(',');
        break;
      }
      default: {
        const unknown: never = operation.op;
        return { invalid: `Unknown config operation ${String(unknown)}` };
      }
    }
  }
  return { overrides: next };
}

/** The names whose value differs between two sets of overrides, with the new value (null: removed). */
export function changedConfigs(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): { name: string; value: string | null }[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names.filter((name) => (before[name] ?? null) !== (after[name] ?? null)).map((name) => ({ name, value: after[name] ?? null }));
}
