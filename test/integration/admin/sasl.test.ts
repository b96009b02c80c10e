import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printClusterLogsOnFailure, requireDistBuild, startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { samsaCli, type SamsaCli } from '../../helpers/samsaCli';

// The admin CLI authenticates with a Kafka-style --command-config file (sasl.jaas.config),
// against the embedded cluster's SASL listeners, with each mechanism.
let cluster: EmbeddedCluster | undefined;
let cli: SamsaCli;
printClusterLogsOnFailure(() => cluster);

const LOGIN_MODULES = {
  PLAIN: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
} as const;

function commandConfig(mechanism: keyof typeof LOGIN_MODULES, password: string): string {
  const file = join(cli.dataDir, `${mechanism}-${password}.properties`);
  writeFileSync(
    file,
    `security.protocol=SASL_PLAINTEXT\nsasl.mechanism=${mechanism}\nsasl.jaas.config=${LOGIN_MODULES[mechanism]} required username="alice" password="${password}";\n`,
  );
  return file;
}

describe('admin CLI over SASL', () => {
  beforeAll(async () => {
    requireDistBuild();
    cli = samsaCli();
    cluster = await startEmbeddedCluster({ brokers: 1, extraArgs: ['--sasl', 'alice=alice-secret'] });
  });
  afterAll(async () => {
    await cluster?.stop();
    cli?.cleanUp();
  });

  it.each(Object.keys(LOGIN_MODULES) as (keyof typeof LOGIN_MODULES)[])('creates and lists topics authenticating with %s', async (mechanism) => {
    const config = commandConfig(mechanism, 'alice-secret');
    const created = await cli.run(['topics', 'create', '--bootstrap-server', cluster!.bootstrap, '--command-config', config, '--topic', `via-${mechanism}`, '--partitions', '1', '--replication-factor', '1']);
    expect(created.exitCode, created.stderr).toBe(0);
    const topics = await cli.json<{ name: string }[]>(['topics', 'list', '--bootstrap-server', cluster!.bootstrap, '--command-config', config]);
    expect(topics.map((t) => t.name)).toContain(`via-${mechanism}`);
  });

  it('fails with one clear line and exit 1 when the password is wrong', async () => {
    const result = await cli.run(['topics', 'list', '--bootstrap-server', cluster!.bootstrap, '--command-config', commandConfig('SCRAM-SHA-256', 'wrong')]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/authentication as "alice" failed/);
    expect(result.stdout).toBe('');
  });
});
