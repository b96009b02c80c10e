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
