import { ApiKey } from '../protocol/generated/apis';
import { defaultIncrementalAlterConfigsRequestAlterableConfig } from '../protocol/generated/incrementalAlterConfigsRequest';
import { ErrorCode } from '../protocol/errors';
import { AdminError, kafkaCodeError } from './adminError';
import type { AdminSession } from './adminSession';
import type { Target } from './brokerRouter';

/**
 * Config changes through IncrementalAlterConfigs (KIP-339) on our own connection, which
 * kafkajs lacks: it touches only the named keys, where the older AlterConfigs replaces a
 * resource's whole set of overrides. Shared by topic and broker configs.
 */
export interface ConfigChange {
  resource: 'topic' | 'broker';
  /** Topic name; broker id, or "" for the cluster-wide broker default. */
  name: string;
  set: Record<string, string>;
  remove: string[];
}

/** IncrementalAlterConfigs operation codes and ConfigResource types. */
const SET = 0;
const DELETE = 1;
const RESOURCE_TYPES = { topic: 2, broker: 4 } as const;

export function describeResource(change: Pick<ConfigChange, 'resource' | 'name'>): string {
  if (change.resource === 'topic') return `topic ${change.name}`;
  return change.name === '' ? 'the cluster-wide broker default' : `broker ${change.name}`;
}

/** With `validateOnly` the broker checks the changes (KIP-339) and answers as it would, changing nothing. */
export async function incrementalAlterConfigs(session: AdminSession, target: Target, changes: ConfigChange[], options: { validateOnly?: boolean } = {}): Promise<void> {
  if (changes.length === 0) return;
  if ((await session.router.versionOn(target, ApiKey.IncrementalAlterConfigs)) === null) {
    throw new AdminError('unsupported', 'the cluster does not serve IncrementalAlterConfigs (Kafka 2.3+); Samsa does not fall back to AlterConfigs, which would replace every override of the resource');
  }
  const response = await session.router.send(target, ApiKey.IncrementalAlterConfigs, {
    validateOnly: options.validateOnly ?? false,
    resources: changes.map((change) => ({
      resourceType: RESOURCE_TYPES[change.resource],
      resourceName: change.name,
      configs: [
        ...Object.entries(change.set).map(([name, value]) => ({ ...defaultIncrementalAlterConfigsRequestAlterableConfig(), name, configOperation: SET, value })),
        ...change.remove.map((name) => ({ ...defaultIncrementalAlterConfigsRequestAlterableConfig(), name, configOperation: DELETE, value: null })),
      ],
    })),
  });
  const failures = response.responses
    .filter((resource) => resource.errorCode !== ErrorCode.NONE)
    .map((resource) =>
      kafkaCodeError(resource.errorCode, `alter configs of ${describeResource({ resource: resource.resourceType === RESOURCE_TYPES.broker ? 'broker' : 'topic', name: resource.resourceName })}`, resource.errorMessage),
    );
  if (failures.length > 0) throw new AdminError(failures[0]!.kind, failures.map((failure) => failure.message).join('; '), failures[0]!.kafkaError);
}
