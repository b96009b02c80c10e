import { InvalidArgumentError } from 'commander';

/** Commander parsers shared by commands: each rejects bad input with a one-line reason. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('Expected a port from 0 to 65535 (0 picks a free one).');
  return port;
}

export function parsePositiveInt(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 1) throw new InvalidArgumentError('Expected a whole number of at least 1.');
  return parsed;
}

export function parseNonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError('Expected a whole number of at least 0.');
  return Number(value);
}

/** A whole number that may be negative, such as --shift-by -10. */
export function parseSignedInteger(value: string): number {
  if (!/^[-+]?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError('Expected a whole number, such as 10 or -10.');
  return Number(value);
}

/** For repeatable options: commander calls this with each value and the values so far. */
export function collect<T>(parse: (value: string) => T): (value: string, previous: T[] | undefined) => T[] {
  return (value, previous) => [...(previous ?? []), parse(value)];
}

/** `key=value`, as Kafka's --config and --property take them; the value may contain '='. */
export function parseKeyValue(value: string): [string, string] {
  const equals = value.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError(`Expected key=value, got "${value}".`);
  return [value.slice(0, equals), value.slice(equals + 1)];
}

/** Kafka's topic argument: `T` or `T:0,2` (partitions 0 and 2 of T). */
export function parseTopicPartitions(value: string): { topic: string; partitions?: number[] } {
  const colon = value.lastIndexOf(':');
  if (colon < 0) {
    if (value.trim() === '') throw new InvalidArgumentError('Expected a topic name.');
    return { topic: value };
  }
  const topic = value.slice(0, colon);
  const list = value.slice(colon + 1);
  if (topic === '' || !/^\d+(,\d+)*$/.test(list)) throw new InvalidArgumentError(`Expected TOPIC or TOPIC:P1,P2 (partition numbers), got "${value}".`);
  return { topic, partitions: list.split(',').map(Number) };
}
