import { runPython } from './externalClients';

/**
 * Config reads and changes through kafka-python's KafkaAdminClient (describe_configs,
 * alter_configs: the legacy AlterConfigs API), an independent client, so a test sees
 * configs the way a Python tool does. Broker resources go to the broker they name.
 */
export interface PythonConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** DescribeConfigs ConfigSource: 1 topic, 2 dynamic broker, 3 dynamic default broker, 4 static broker, 5 default. */
  source: number;
}

export type PythonResource = { type: 'broker' | 'topic'; name: string };

const DESCRIBE = `
import json, sys
from kafka.admin import KafkaAdminClient, ConfigResource, ConfigResourceType
params = json.load(sys.stdin)
admin = KafkaAdminClient(bootstrap_servers=params['bootstrap'], client_id='samsa-it-configs')
kinds = {'broker': ConfigResourceType.BROKER, 'topic': ConfigResourceType.TOPIC}
result = []
for resource in params['resources']:
    response = admin.describe_configs([ConfigResource(kinds[resource['type']], resource['name'])])[0]
    error_code, error_message, _type, _name, entries = response.resources[0]
    result.append({'errorCode': error_code, 'errorMessage': error_message,
                   'entries': [{'name': e[0], 'value': e[1], 'readOnly': e[2], 'source': e[3]} for e in entries]})
admin.close()
print(json.dumps(result))
`;

const ALTER = `
import json, sys
from kafka.admin import KafkaAdminClient, ConfigResource, ConfigResourceType
params = json.load(sys.stdin)
admin = KafkaAdminClient(bootstrap_servers=params['bootstrap'], client_id='samsa-it-configs')
kinds = {'broker': ConfigResourceType.BROKER, 'topic': ConfigResourceType.TOPIC}
resource = params['resource']
response = admin.alter_configs([ConfigResource(kinds[resource['type']], resource['name'], configs=params['configs'])])
error_code, error_message, _type, _name = response.resources[0]
admin.close()
print(json.dumps({'errorCode': error_code, 'errorMessage': error_message}))
`;

export async function pythonDescribeConfigs(bootstrap: string, resources: PythonResource[]): Promise<{ errorCode: number; errorMessage: string | null; entries: PythonConfigEntry[] }[]> {
  return runPython('kafka-python describe_configs', DESCRIBE, { bootstrap, resources });
}

/** Entries by name, for one resource that must be described without error. */
export async function pythonConfigs(bootstrap: string, resource: PythonResource): Promise<Map<string, PythonConfigEntry>> {
  const [result] = await pythonDescribeConfigs(bootstrap, [resource]);
  if (result === undefined || result.errorCode !== 0) throw new Error(`describe_configs of ${resource.type} ${resource.name} failed: ${JSON.stringify(result)}`);
  return new Map(result.entries.map((entry) => [entry.name, entry]));
}

/** AlterConfigs (legacy): `configs` replaces every dynamic config the resource had. */
export async function pythonAlterConfigs(bootstrap: string, resource: PythonResource, configs: Record<string, string>): Promise<{ errorCode: number; errorMessage: string | null }> {
  return runPython('kafka-python alter_configs', ALTER, { bootstrap, resource, configs });
}
