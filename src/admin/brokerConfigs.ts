import { ApiKey } from '../protocol/generated/apis';
import { ErrorCode } from '../protocol/errors';
import { AdminError, kafkaCodeError } from './adminError';
import type { AdminSession } from './adminSession';
import type { Target } from './brokerRouter';
import { describeResource, incrementalAlterConfigs } from './configChanges';
import { configEntryOf, type ConfigEntry } from './topicConfigs';

/**
 * Broker configs as kafka-configs.sh --entity-type brokers shows and changes them: one
 * broker's (`brokerId`), or the cluster-wide default (`brokerId` null, --entity-default),
 * which lists only what is set there. A broker answers for its own configs, so a describe
 * goes to that broker; changes go to it too (Kafka's AdminClient does the same), or to the
 * controller when it is not in the metadata (down).
 */
const BROKER_RESOURCE = 4;

async function brokerTarget(session: AdminSession, brokerId: number | null): Promise<Target> {
  if (brokerId === null) return 'controller';
  const metadata = await session.metadata();
  return metadata.brokers.some((broker) => broker.nodeId === brokerId) ? { broker: brokerId } : 'controller';
}

export async function describeBrokerConfigs(session: AdminSession, brokerId: number | null): Promise<ConfigEntry[]> {
  const what = `describe configs of ${describeResource({ resource: 'broker', name: brokerId === null ? '' : String(brokerId) })}`;
  const target: Target = brokerId === null ? 'any' : { broker: brokerId };
  const response = await session.router.send(target, ApiKey.DescribeConfigs, {
    resources: [{ resourceType: BROKER_RESOURCE, resourceName: brokerId === null ? '' : String(brokerId), configurationKeys: null }],
    includeSynonyms: false,
    includeDocumentation: false,
  });
  const resource = response.results[0];
  if (!resource) throw new AdminError('kafka', `${what}: the broker sent no answer for it`);
  if (resource.errorCode !== ErrorCode.NONE) throw kafkaCodeError(resource.errorCode, what, resource.errorMessage);
  return resource.configs
    .map(configEntryOf)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Dynamic configs set on this broker itself (or at the cluster default): what a change would undo. */
export function dynamicBrokerOverrides(configs: ConfigEntry[], brokerId: number | null): Record<string, string | null> {
  const source = brokerId === null ? 'DYNAMIC_DEFAULT_BROKER_CONFIG' : 'DYNAMIC_BROKER_CONFIG';
  return Object.fromEntries(configs.filter((entry) => entry.source === source).map((entry) => [entry.name, entry.value]));
}

export async function alterBrokerConfigs(session: AdminSession, brokerId: number | null, set: Record<string, string>, remove: string[]): Promise<void> {
  await incrementalAlterConfigs(session, await brokerTarget(session, brokerId), [{ resource: 'broker', name: brokerId === null ? '' : String(brokerId), set, remove }]);
}

/** A recorded change of broker configs (the audit log keeps the dynamic values before and after). */
export async function changeBrokerConfigs(session: AdminSession, brokerId: number | null, set: Record<string, string>, remove: string[]) {
  const overlap = remove.filter((name) => Object.hasOwn(set, name));
  if (overlap.length > 0) throw new AdminError('invalid-input', `${overlap.join(', ')} cannot be both set and deleted`);
  if (Object.keys(set).length === 0 && remove.length === 0) throw new AdminError('invalid-input', 'no config to set or delete');
  const what = describeResource({ resource: 'broker', name: brokerId === null ? '' : String(brokerId) });
  return session.run(`alter configs of ${what}`, () =>
    session.change(
      { kind: 'alter-broker-configs', broker: brokerId, set, remove },
      {
        before: async () => dynamicBrokerOverrides(await describeBrokerConfigs(session, brokerId), brokerId),
        apply: () => alterBrokerConfigs(session, brokerId, set, remove),
        after: async () => dynamicBrokerOverrides(await describeBrokerConfigs(session, brokerId), brokerId),
      },
    ),
  );
}
