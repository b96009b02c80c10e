import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A group's committed offsets as kafka-python (an independent, pure-Python client) reads them
 * with OffsetFetch: what the group's consumers would start from. null for no committed offset.
 */
const SCRIPT = `
import json, sys
from kafka import KafkaConsumer, TopicPartition
bootstrap, group, wanted = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
consumer = KafkaConsumer(bootstrap_servers=bootstrap.split(','), group_id=group, enable_auto_commit=False, api_version_auto_timeout_ms=10000)
try:
    print(json.dumps({f"{t}-{p}": consumer.committed(TopicPartition(t, p)) for t, p in wanted}))
finally:
    consumer.close()
`;

export async function committedByKafkaPython(bootstrap: string, group: string, partitions: [topic: string, partition: number][]): Promise<Record<string, number | null>> {
  const { stdout } = await run('/usr/bin/python3', ['-c', SCRIPT, bootstrap, group, JSON.stringify(partitions)], { timeout: 60_000 });
  return JSON.parse(stdout) as Record<string, number | null>;
}
