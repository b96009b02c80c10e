import { describe, expect, it } from 'vitest';
import { kafkaCliCommand, quote } from '../../../src/admin/kafkaCommand';

const target = { bootstrapServers: ['k1:9092', 'k2:9092'] };
const withConfig = { ...target, commandConfigPath: '/etc/kafka/admin client.properties' };

describe('equivalent Kafka CLI commands', () => {
  it('renders topic changes as kafka-topics.sh and kafka-configs.sh commands', () => {
    expect(kafkaCliCommand({ kind: 'create-topic', topic: 'orders', partitions: 6, replicationFactor: 3, configs: { 'retention.ms': '1000' } }, target)).toBe(
      'kafka-topics.sh --bootstrap-server k1:9092,k2:9092 --create --topic orders --partitions 6 --replication-factor 3 --config retention.ms=1000',
    );
    expect(kafkaCliCommand({ kind: 'create-topic', topic: 'orders', partitions: -1, replicationFactor: -1, configs: {} }, target)).toBe(
      'kafka-topics.sh --bootstrap-server k1:9092,k2:9092 --create --topic orders',
    );
    expect(kafkaCliCommand({ kind: 'delete-topic', topic: 'orders' }, withConfig)).toBe(
      "kafka-topics.sh --bootstrap-server k1:9092,k2:9092 --command-config '/etc/kafka/admin client.properties' --delete --topic orders",
    );
    expect(kafkaCliCommand({ kind: 'add-partitions', topic: 'orders', totalPartitions: 12 }, target)).toBe(
      'kafka-topics.sh --bootstrap-server k1:9092,k2:9092 --alter --topic orders --partitions 12',
    );
    expect(kafkaCliCommand({ kind: 'alter-topic-configs', topic: 'orders', set: { 'cleanup.policy': 'compact,delete', 'retention.ms': '5' }, remove: ['segment.ms'] }, target)).toBe(
      "kafka-configs.sh --bootstrap-server k1:9092,k2:9092 --alter --entity-type topics --entity-name orders --add-config 'cleanup.policy=[compact,delete],retention.ms=5' --delete-config segment.ms",
    );
  });

  it('renders delete-records as a script that writes Kafka\'s offset JSON first', () => {
    expect(kafkaCliCommand({ kind: 'delete-records', topic: 'orders', offsets: [{ partition: 0, offset: 42 }] }, target)).toBe(
      [
        "cat > delete-records.json <<'EOF'",
        '{"version":1,"partitions":[{"topic":"orders","partition":0,"offset":42}]}',
        'EOF',
        'kafka-delete-records.sh --bootstrap-server k1:9092,k2:9092 --offset-json-file delete-records.json',
      ].join('\n'),
    );
  });

  it('renders group changes as kafka-consumer-groups.sh commands with every reset mode and scope', () => {
    const reset = (mode: Parameters<typeof kafkaCliCommand>[0] & { kind: 'reset-offsets' }) => kafkaCliCommand(mode, target);
    const base = { kind: 'reset-offsets' as const, group: 'billing', execute: false };
    expect(reset({ ...base, mode: { mode: 'to-earliest' }, scope: { kind: 'all-topics' } })).toBe(
      'kafka-consumer-groups.sh --bootstrap-server k1:9092,k2:9092 --group billing --reset-offsets --to-earliest --all-topics --dry-run',
    );
    expect(reset({ ...base, execute: true, mode: { mode: 'shift-by', shift: -5 }, scope: { kind: 'topics', topics: [{ topic: 'a', partitions: [0, 2] }, { topic: 'b' }] } })).toBe(
      'kafka-consumer-groups.sh --bootstrap-server k1:9092,k2:9092 --group billing --reset-offsets --shift-by -5 --topic a:0,2 --topic b --execute',
    );
    expect(reset({ ...base, mode: { mode: 'to-datetime', datetime: '2024-05-01T09:30:00.000Z', timestamp: 0 }, scope: { kind: 'all-topics' } })).toContain('--to-datetime 2024-05-01T09:30:00.000Z --all-topics');
    expect(reset({ ...base, mode: { mode: 'by-duration', duration: 'PT1H', durationMs: 0 }, scope: { kind: 'all-topics' } })).toContain('--by-duration PT1H');
    expect(reset({ ...base, mode: { mode: 'to-offset', offset: 7 }, scope: { kind: 'all-topics' } })).toContain('--to-offset 7');
    expect(reset({ ...base, mode: { mode: 'from-file', path: 'plan.csv', offsets: [] }, scope: { kind: 'topics', topics: [] } })).toBe(
      'kafka-consumer-groups.sh --bootstrap-server k1:9092,k2:9092 --group billing --reset-offsets --from-file plan.csv --dry-run',
    );
    expect(kafkaCliCommand({ kind: 'delete-group', group: 'billing' }, target)).toBe('kafka-consumer-groups.sh --bootstrap-server k1:9092,k2:9092 --delete --group billing');
    expect(kafkaCliCommand({ kind: 'delete-group-offsets', group: 'billing', topic: 'a', partitions: [1] }, target)).toBe(
      'kafka-consumer-groups.sh --bootstrap-server k1:9092,k2:9092 --delete-offsets --group billing --topic a:1',
    );
  });

  it('renders produce as a console-producer pipeline with key and headers', () => {
    expect(kafkaCliCommand({ kind: 'produce', topic: 't', partition: 2, key: 'k', value: 'hello world', headers: { h: 'v' } }, target)).toBe(
      "printf '%s\\n' 'h:v\tk\thello world' | kafka-console-producer.sh --bootstrap-server k1:9092,k2:9092 --topic t --property partition=2 --property parse.key=true --property 'key.separator=\t' --property parse.headers=true",
    );
  });

  it('renders broker config changes as kafka-configs.sh --entity-type brokers', () => {
    expect(kafkaCliCommand({ kind: 'alter-broker-configs', broker: 2, set: { 'leader.replication.throttled.rate': '1000' }, remove: [] }, target)).toBe(
      'kafka-configs.sh --bootstrap-server k1:9092,k2:9092 --alter --entity-type brokers --entity-name 2 --add-config leader.replication.throttled.rate=1000',
    );
    expect(kafkaCliCommand({ kind: 'alter-broker-configs', broker: null, set: {}, remove: ['follower.replication.throttled.rate'] }, target)).toBe(
      'kafka-configs.sh --bootstrap-server k1:9092,k2:9092 --alter --entity-type brokers --entity-default --delete-config follower.replication.throttled.rate',
    );
  });

  it('renders reassignments and elections as kafka-reassign-partitions.sh and kafka-leader-election.sh', () => {
    const partitions = [{ topic: 'orders', partition: 0, replicas: [2, 3] }];
    expect(kafkaCliCommand({ kind: 'cancel-reassignment', partitions }, target)).toBe(
      [
        "cat > reassignment.json <<'EOF'",
        '{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[2,3],"log_dirs":["any","any"]}]}',
        'EOF',
        'kafka-reassign-partitions.sh --bootstrap-server k1:9092,k2:9092 --reassignment-json-file reassignment.json --cancel',
      ].join('\n'),
    );
    expect(kafkaCliCommand({ kind: 'reassign-partitions', partitions, throttleBytesPerSec: 50000000 }, target).split('\n').at(-1)).toBe(
      'kafka-reassign-partitions.sh --bootstrap-server k1:9092,k2:9092 --reassignment-json-file reassignment.json --execute --throttle 50000000',
    );
    expect(kafkaCliCommand({ kind: 'reassign-partitions', partitions }, target).split('\n').at(-1)).toMatch(/--execute$/);
    expect(kafkaCliCommand({ kind: 'remove-reassignment-throttle', partitions }, target).split('\n').at(-1)).toBe(
      'kafka-reassign-partitions.sh --bootstrap-server k1:9092,k2:9092 --reassignment-json-file reassignment.json --verify',
    );
    expect(kafkaCliCommand({ kind: 'elect-leaders', electionType: 'preferred', partitions: null }, withConfig)).toBe(
      "kafka-leader-election.sh --bootstrap-server k1:9092,k2:9092 --admin.config '/etc/kafka/admin client.properties' --election-type PREFERRED --all-topic-partitions",
    );
    expect(kafkaCliCommand({ kind: 'elect-leaders', electionType: 'unclean', partitions: [{ topic: 'orders', partition: 3 }] }, target)).toBe(
      'kafka-leader-election.sh --bootstrap-server k1:9092,k2:9092 --election-type UNCLEAN --topic orders --partition 3',
    );
  });

  it('quotes only what the shell would split or expand', () => {
    expect(quote('plain-topic.v1')).toBe('plain-topic.v1');
    expect(quote("it's $HOME")).toBe("'it'\\''s $HOME'");
  });
});
