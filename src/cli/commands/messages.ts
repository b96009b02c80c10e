import type { Command } from 'commander';
import { AdminError } from '../../admin/adminError';
import type { AdminChange } from '../../admin/adminChange';
import { browseMessages, produceMessage, type BrowsedMessage, type StartPosition } from '../../admin/messages';
import { parseResetDatetime } from '../../admin/offsetResetPlan';
import { payloadText, type PayloadFormat } from '../../admin/payloadFormat';
import { collect, parseKeyValue, parseNonNegativeInteger, parsePositiveInt } from '../options';
import { guarded, printJson, printKafkaCommand, runAdmin, withChangeFlags, withConnectionFlags, type ChangeFlags, type ConnectionFlags } from './adminRuntime';

/**
 * `samsa messages consume|produce`, with kafka-console-consumer/-producer's flag names.
 * consume is a bounded read: it stops at the high watermark (or after --timeout-ms without
 * new messages), commits nothing and joins no group.
 */
const FORMATS: readonly PayloadFormat[] = ['text', 'json', 'hex'];

/** kafka-console-consumer's formatter properties that we honour. */
const CONSUME_PROPERTIES = ['print.key', 'print.value', 'print.headers', 'print.timestamp', 'print.offset', 'print.partition', 'key.separator', 'headers.separator'];

export function registerMessagesCommands(program: Command): void {
  const messages = program.command('messages').description('Read and write messages of any Kafka cluster');

  withConnectionFlags(messages.command('consume').description('Read messages from an offset, the beginning, the end or a time, and stop at the end'))
    .requiredOption('--topic <topic>', 'topic to read')
    .option('--partition <p>', 'partition to read (repeatable; all when absent)', collect(parseNonNegativeInteger))
    .option('--from-beginning', 'start at the log start offset (default: the end, so only new messages)')
    .option('--offset <n|earliest|latest>', 'start at this offset in each partition read')
    .option('--from-datetime <datetime>', 'start at the first message at or after YYYY-MM-DDTHH:mm:SS[.sss][zone]')
    .option('--max-messages <n>', 'stop after this many messages', parsePositiveInt, 1000)
    .option('--timeout-ms <ms>', 'once at the end, wait this long for new messages', parseNonNegativeInteger, 0)
    .option('--format <format>', `how to show keys, values and headers: ${FORMATS.join(', ')}`, 'text')
    .option('--property <key=value>', `formatter property (repeatable): ${CONSUME_PROPERTIES.join(', ')}`, collect(parseKeyValue))
    .action(async (flags: ConsumeFlags) =>
      guarded(async () => {
        const start = startPosition(flags);
        const properties = consumeProperties(flags.property ?? []);
        if (!(FORMATS as readonly string[]).includes(flags.format)) throw new AdminError('invalid-input', `--format must be one of ${FORMATS.join(', ')}`);
        await runAdmin(flags, async (session) => {
          const read = await browseMessages(session, {
            topic: flags.topic,
            ...(flags.partition ? { partitions: flags.partition } : {}),
            start,
            maxMessages: flags.maxMessages,
            format: flags.format as PayloadFormat,
            idleWaitMs: flags.timeoutMs,
          });
          if (flags.json) return printJson(read.map(jsonMessage));
          for (const message of read) process.stdout.write(`${consoleLine(message, properties)}\n`);
          process.stderr.write(`samsa: processed a total of ${read.length} messages\n`);
        });
      }),
    );

  withChangeFlags(messages.command('produce').description('Write one message (--value), or one per line of standard input'))
    .requiredOption('--topic <topic>', 'topic to write to')
    .option('--partition <p>', 'partition (default: chosen by the key, as Kafka\'s default partitioner does)', parseNonNegativeInteger)
    .option('--key <key>', 'message key')
    .option('--value <value>', 'message value (default: read lines from standard input)')
    .option('--header <key=value>', 'message header (repeatable)', collect(parseKeyValue))
    .option('--property <key=value>', 'parse.key=true with key.separator=SEP (default tab) to read key SEP value lines', collect(parseKeyValue))
    .action(async (flags: ProduceFlags) =>
      guarded(async () => {
        const headers = Object.fromEntries(flags.header ?? []);
        const records = flags.value !== undefined ? [{ key: flags.key ?? null, value: flags.value }] : parseInputLines(await readStdin(), flags);
        if (records.length === 0) throw new AdminError('invalid-input', 'nothing to produce: give --value or lines on standard input');
        const changes: Extract<AdminChange, { kind: 'produce' }>[] = records.map((record) => ({
          kind: 'produce',
          topic: flags.topic,
          ...(flags.partition === undefined ? {} : { partition: flags.partition }),
          key: record.key,
          value: record.value,
          headers,
        }));
        if (flags.printCommand) return changes.forEach((change) => printKafkaCommand(flags, change));
        await runAdmin(flags, async (session) => {
          const written = [];
          for (const change of changes) written.push((await produceMessage(session, change)).after);
          if (flags.json) return printJson(written);
          for (const entry of written) process.stdout.write(`${flags.topic}-${entry?.partition}@${entry?.offset}\n`);
        });
      }),
    );
}

interface ConsumeFlags extends ConnectionFlags {
  topic: string;
  partition?: number[];
  fromBeginning?: boolean;
  offset?: string;
  fromDatetime?: string;
  maxMessages: number;
  timeoutMs: number;
  format: string;
  property?: [string, string][];
}

interface ProduceFlags extends ChangeFlags {
  topic: string;
  partition?: number;
  key?: string;
  value?: string;
  header?: [string, string][];
  property?: [string, string][];
}

function startPosition(flags: ConsumeFlags): StartPosition {
  const given = [flags.fromBeginning, flags.offset !== undefined, flags.fromDatetime !== undefined].filter(Boolean).length;
  if (given > 1) throw new AdminError('invalid-input', 'give only one of --from-beginning, --offset and --from-datetime');
  if (flags.fromBeginning || flags.offset === 'earliest') return { kind: 'earliest' };
  if (flags.fromDatetime !== undefined) return { kind: 'timestamp', timestamp: parseResetDatetime(flags.fromDatetime) };
  if (flags.offset === undefined || flags.offset === 'latest') return { kind: 'latest' };
  if (!/^\d+$/.test(flags.offset)) throw new AdminError('invalid-input', `--offset must be a whole number, earliest or latest, got "${flags.offset}"`);
  return { kind: 'offset', offset: Number(flags.offset) };
}

function consumeProperties(entries: [string, string][]): Map<string, string> {
  for (const [key] of entries) {
    if (!CONSUME_PROPERTIES.includes(key)) throw new AdminError('invalid-input', `--property ${key} is not supported (supported: ${CONSUME_PROPERTIES.join(', ')})`);
  }
  return new Map(entries);
}

/** kafka-console-consumer's DefaultMessageFormatter layout: the enabled fields, tab separated. */
function consoleLine(message: BrowsedMessage, properties: Map<string, string>): string {
  const on = (key: string, fallback: boolean) => (properties.get(key) ?? String(fallback)).toLowerCase() === 'true';
  const separator = properties.get('key.separator') ?? '\t';
  const parts: string[] = [];
  if (on('print.timestamp', false)) parts.push(`${message.timestampType}:${message.timestamp}`);
  if (on('print.partition', false)) parts.push(`Partition:${message.partition}`);
  if (on('print.offset', false)) parts.push(`Offset:${message.offset}`);
  if (on('print.headers', false)) {
    parts.push(message.headers.length === 0 ? 'NO_HEADERS' : message.headers.map((header) => `${header.key}:${payloadText(header.value)}`).join(properties.get('headers.separator') ?? ','));
  }
  if (on('print.key', false)) parts.push(payloadText(message.key));
  if (on('print.value', true)) parts.push(payloadText(message.value));
  return parts.join(separator);
}

function jsonMessage(message: BrowsedMessage) {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    timestamp: message.timestamp,
    timestampType: message.timestampType,
    key: message.key?.value ?? null,
    keyFormat: message.key?.format ?? null,
    value: message.value?.value ?? null,
    valueFormat: message.value?.format ?? null,
    headers: message.headers.map((header) => ({ key: header.key, value: header.value?.value ?? null, format: header.value?.format ?? null })),
  };
}

function parseInputLines(text: string, flags: ProduceFlags): { key: string | null; value: string }[] {
  const properties = new Map(flags.property ?? []);
  const parseKey = (properties.get('parse.key') ?? 'false').toLowerCase() === 'true';
  const separator = properties.get('key.separator') ?? '\t';
  return text
    .split(/\r?\n/)
    .filter((line) => line.length > 0)
    .map((line, index) => {
      if (!parseKey) return { key: flags.key ?? null, value: line };
      const at = line.indexOf(separator);
      if (at < 0) throw new AdminError('invalid-input', `line ${index + 1} of standard input has no key separator ${JSON.stringify(separator)}`);
      return { key: line.slice(0, at), value: line.slice(at + separator.length) };
    });
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new AdminError('invalid-input', 'give --value, or pipe messages into standard input (one per line)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
