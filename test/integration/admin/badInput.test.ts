import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatMetadata, kcatProduce, runPython } from '../../helpers/externalClients';
import { samsaCli, type SamsaCli } from '../../helpers/samsaCli';

// Every mistake a user can make, and a cluster that is down or goes away: one line on stderr,
// nothing on stdout, a non-zero exit within a bounded time, and nothing changed.

const COMMITTED = `
import json, sys
from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata
p = json.load(sys.stdin)
c = KafkaConsumer(bootstrap_servers=p['bootstrap'].split(','), group_id=p['group'], enable_auto_commit=False)
if p.get('offsets'):
    c.commit({TopicPartition(p['topic'], int(k)): OffsetAndMetadata(v, None) for k, v in p['offsets'].items()})
print(json.dumps({str(i): c.committed(TopicPartition(p['topic'], i)) for i in range(2)}))
c.close()
`;

let cluster: EmbeddedCluster;
let cli: SamsaCli;
let connection: string[];

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 3 });
  cli = samsaCli();
  connection = ['--bootstrap-server', cluster.bootstrap];
  await cli.json(['topics', 'create', ...connection, '--topic', 'ledger', '--partitions', '2']);
  await kcatProduce(cluster.bootstrap, 'ledger', [{ key: 'a', value: '1' }, { key: 'b', value: '2' }], ['-p', '0']);
  await runPython('commit', COMMITTED, { bootstrap: cluster.bootstrap, group: 'auditors', topic: 'ledger', offsets: { 0: 1, 1: 0 } });
});

afterAll(async () => {
  await cluster?.stop();
  cli?.cleanUp();
});

async function expectOneLineFailure(args: string[], message: RegExp, maxMs = 15_000): Promise<void> {
  // A run that hangs past maxMs is killed and fails here; how long it took is not asserted.
  const result = await cli.run(args, { timeoutMs: maxMs + 5_000 });
  expect(result.timedOut).toBe(false);
  expect(result.exitCode).not.toBe(0);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
}

describe('bad input changes nothing and says what is wrong', () => {
  it('unknown topics, groups and partitions', async () => {
    await expectOneLineFailure(['topics', 'describe', ...connection, '--topic', 'nope'], /^samsa: topic "nope" does not exist$/);
    await expectOneLineFailure(['topics', 'delete', ...connection, '--topic', 'nope'], /topic "nope" does not exist/);
    await expectOneLineFailure(['topics', 'alter', ...connection, '--topic', 'nope', '--config', 'retention.ms=1'], /topic "nope" does not exist/);
    await expectOneLineFailure(['messages', 'consume', ...connection, '--topic', 'nope', '--from-beginning'], /topic "nope" does not exist/);
    await expectOneLineFailure(['messages', 'produce', ...connection, '--topic', 'nope', '--value', 'x'], /topic "nope" does not exist/);
    await expectOneLineFailure(['groups', 'describe', ...connection, '--group', 'nobody'], /consumer group "nobody" does not exist/);
    await expectOneLineFailure(['messages', 'consume', ...connection, '--topic', 'ledger', '--partition', '7'], /topic "ledger" has no partition 7 \(it has 2 partitions: 0..1\)/);
    await expectOneLineFailure(['groups', 'reset-offsets', ...connection, '--group', 'auditors', '--topic', 'ledger:0,5', '--to-earliest', '--execute'], /topic "ledger" has no partition 5/);
    await expectOneLineFailure(['topics', 'alter', ...connection, '--topic', 'ledger', '--partitions', '1'], /already has 2 partitions; --partitions must be more than that/);
  });

  it('offsets out of range', async () => {
    await expectOneLineFailure(['messages', 'consume', ...connection, '--topic', 'ledger', '--partition', '0', '--offset', '99'], /offset 99 is out of range for ledger-0 \(log start 0, high watermark 2\)/);
    await expectOneLineFailure(['groups', 'reset-offsets', ...connection, '--group', 'auditors', '--topic', 'ledger', '--to-offset', '-4'], /--to-offset.*Expected a whole number of at least 0/);
  });

  it('malformed CSV and JSON files, naming the file and line', async () => {
    const csv = join(cli.dataDir, 'bad.csv');
    writeFileSync(csv, 'ledger,0,5\nledger,one,6\n');
    await expectOneLineFailure(['groups', 'reset-offsets', ...connection, '--group', 'auditors', '--from-file', csv, '--execute'], /bad.csv line 2: partition "one" is not a whole number/);
    const json = join(cli.dataDir, 'bad.json');
    writeFileSync(json, '{"partitions": [{"topic": "ledger", "partition": 0}]');
    await expectOneLineFailure(['topics', 'delete-records', ...connection, '--offset-json-file', json], /bad.json is not valid JSON/);
    writeFileSync(json, '{"partitions": [{"topic": "ledger", "partition": 0}], "version": 1}');
    await expectOneLineFailure(['topics', 'delete-records', ...connection, '--offset-json-file', json], /partitions\[0\] must be \{"topic": string, "partition": integer >= 0, "offset": integer >= -1\}/);
    const config = join(cli.dataDir, 'client.properties');
    writeFileSync(config, 'security.protocol=SASL_SSL\nsasl.mechanism=GSSAPI\n');
    await expectOneLineFailure(['topics', 'list', ...connection, '--command-config', config], /client.properties: sasl.mechanism=GSSAPI is not supported/);
  });

  it('contradictory or missing reset flags', async () => {
    await expectOneLineFailure(['groups', 'reset-offsets', ...connection, '--group', 'auditors', '--topic', 'ledger'], /give exactly one of --to-earliest.*\(got 0\)/);
    await expectOneLineFailure(['groups', 'reset-offsets', ...connection, '--group', 'auditors', '--topic', 'ledger', '--to-earliest', '--to-latest'], /\(got 2\)/);
    await expectOneLineFailure(['groups', 'reset-offsets', ...connection, '--group', 'auditors', '--to-earliest'], /give --topic TOPIC\[:PARTITIONS\] \(repeatable\) or --all-topics/);
    await expectOneLineFailure(['groups', 'reset-offsets', ...connection, '--group', 'auditors', '--all-topics', '--to-datetime', 'yesterday'], /--to-datetime "yesterday" is not/);
    await expectOneLineFailure(['groups', 'reset-offsets', ...connection, '--group', 'auditors', '--all-topics', '--shift-by', '1', '--execute', '--dry-run'], /either --dry-run or --execute/);
  });

  it('after all of the above, the cluster is as it was and the audit log is empty', async () => {
    const topics = (await kcatMetadata(cluster.bootstrap)).topics.filter((entry) => !entry.topic.startsWith('__'));
    expect(topics.map((entry) => [entry.topic, entry.partitions?.length])).toEqual([['ledger', 2]]);
    expect(await runPython('committed', COMMITTED, { bootstrap: cluster.bootstrap, group: 'auditors', topic: 'ledger' })).toEqual({ 0: 1, 1: 0 });
    const audit = cli.auditLog().trim().split('\n').map((line) => (JSON.parse(line) as { change: { kind: string } }).change.kind);
    expect(audit).toEqual(['create-topic']);
  });
});

describe('a cluster that is down or goes away', () => {
  it('a bootstrap server that is not host:port is refused by name before anything connects', async () => {
    for (const server of ['bootstrap=127.0.0.1:9092', 'http://127.0.0.1:9092', '127.0.0.1', '127.0.0.1:0', 'kafka one:9092']) {
      await expectOneLineFailure(['topics', 'list', '--bootstrap-server', server], new RegExp(`^samsa: "${server.replace(/[.]/g, '\\.')}" is not host:port`));
    }
    await expectOneLineFailure(['topics', 'list', '--bootstrap-server', ` , `], /no bootstrap server given/);
    // A good entry does not excuse a bad one next to it.
    await expectOneLineFailure(['topics', 'list', '--bootstrap-server', `${cluster.bootstrap},broker_2=x:9092`], /"broker_2=x:9092" is not host:port/);
  });

  it('a closed port fails at once with the address and the reason', async () => {
    const port = await closedPort();
    await expectOneLineFailure(['topics', 'list', '--bootstrap-server', `127.0.0.1:${port}`], new RegExp(`cannot connect to the cluster at 127.0.0.1:${port}: connect ECONNREFUSED`), 5_000);
  });

  it('a listener that never answers is given up on within --timeout', async () => {
    // Accepts TCP connections and says nothing, like a hung broker.
    const silent = createServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    try {
      const { port } = silent.address() as AddressInfo;
      await expectOneLineFailure(['cluster', 'describe', '--bootstrap-server', `127.0.0.1:${port}`, '--timeout', '2000'], /no (response|answer).*within 2000 ms/, 8_000);
    } finally {
      silent.close();
    }
  });

  it('a cluster that stops while a consume is waiting ends it with an error', async () => {
    const doomed = await startEmbeddedCluster({ brokers: 3 });
    try {
      const doomedCli = ['--bootstrap-server', doomed.bootstrap];
      await cli.json(['topics', 'create', ...doomedCli, '--topic', 'tail', '--partitions', '1']);
      const waiting = cli.run(['messages', 'consume', ...doomedCli, '--topic', 'tail', '--timeout-ms', '20000'], { timeoutMs: 40_000 });
      // Long enough for the CLI to be waiting at the end of the log on a quiet machine; on a busy one it may
      // still be connecting, which is also "mid-command" for its user.
      await new Promise((done) => setTimeout(done, 3_000));
      await doomed.stop();
      // Without noticing, the CLI would wait out --timeout-ms and exit 0 with no error.
      const result = await waiting;
      expect(result.timedOut).toBe(false);
      expect(result.exitCode).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^samsa: (read messages of tail|cannot connect to the cluster at \S+): .*(closed|ECONNREFUSED|ECONNRESET|not in the cluster)/);
    } finally {
      await doomed.stop();
    }
  });
});

/** A port nothing listens on: bound, noted and released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
