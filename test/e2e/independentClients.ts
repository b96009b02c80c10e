import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Clients that share no code with Samsa, to check what the UI did: kcat (librdkafka) reads
 * messages as JSON, kafka-python (Debian's python3-kafka) describes configs and log starts.
 */
const run = promisify(execFile);

export interface KcatMessage {
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  /** kcat -J lists headers as a flat [name, value, name, value, ...] array. */
  headers?: string[];
}

/** `kcat -C -J`: `count` messages of one partition from `offset` (or its log start). */
export async function kcatConsume(bootstrap: string, topic: string, partition: number, offset: number | 'beginning', count: number): Promise<KcatMessage[]> {
  const { stdout } = await run('kcat', ['-b', bootstrap, '-C', '-J', '-t', topic, '-p', String(partition), '-o', String(offset), '-c', String(count), '-e'], { timeout: 30_000 });
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as KcatMessage);
}

async function python(script: string, args: string[]): Promise<unknown> {
  const { stdout } = await run('/usr/bin/python3', ['-c', script, ...args], { timeout: 60_000 });
  return JSON.parse(stdout) as unknown;
}

const DESCRIBE_CONFIGS = `
import json, sys
from kafka.admin import KafkaAdminClient, ConfigResource, ConfigResourceType
admin = KafkaAdminClient(bootstrap_servers=sys.argv[1].split(','), request_timeout_ms=20000)
response = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, sys.argv[2])], include_synonyms=True)[0]
error_code, error_message, _type, _name, entries = response.resources[0]
if error_code != 0:
    raise SystemExit('describe_configs failed: %s %s' % (error_code, error_message))
print(json.dumps({entry[0]: {'value': entry[1], 'source': entry[3]} for entry in entries}))
admin.close()
`;

/** kafka-python's describe_configs: name -> value and ConfigSource code (1 = topic override, 5 = default). */
export async function pythonTopicConfigs(bootstrap: string, topic: string): Promise<Record<string, { value: string | null; source: number }>> {
  return (await python(DESCRIBE_CONFIGS, [bootstrap, topic])) as Record<string, { value: string | null; source: number }>;
}

const BEGINNING_OFFSETS = `
import json, sys
from kafka import KafkaConsumer, TopicPartition
consumer = KafkaConsumer(bootstrap_servers=sys.argv[1].split(','), group_id=None, enable_auto_commit=False, request_timeout_ms=30000)
partitions = [TopicPartition(sys.argv[2], int(p)) for p in sys.argv[3].split(',')]
print(json.dumps({str(tp.partition): offset for tp, offset in consumer.beginning_offsets(partitions).items()}))
consumer.close()
`;

/** kafka-python's beginning_offsets: partition -> log start offset. */
export async function pythonBeginningOffsets(bootstrap: string, topic: string, partitions: number[]): Promise<Record<string, number>> {
  return (await python(BEGINNING_OFFSETS, [bootstrap, topic, partitions.join(',')])) as Record<string, number>;
}
