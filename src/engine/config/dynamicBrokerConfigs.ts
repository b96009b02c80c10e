/**
 * Broker configs that change while the cluster runs (KIP-226, Kafka's DynamicBrokerConfig):
 * set per broker (resource name = broker id) or for every broker (resource name ""), kept in
 * the controller's metadata log, and resolved per broker as its own value, else the
 * cluster-wide one, else the built-in default. Only the replication throttle rates (KIP-73)
 * are dynamic here; every other broker setting is fixed when the cluster starts.
 */
import type { BrokerId } from '../metadata/records';
import { ConfigSource, ConfigType, longAtLeast, type ConfigDefinition, type ResolvedConfig } from './configDefinitions';

/** Long.MAX_VALUE: Kafka's "no throttle" default for both rates. */
const UNLIMITED = '9223372036854775807';

export const LEADER_THROTTLE_RATE = 'leader.replication.throttled.rate';
export const FOLLOWER_THROTTLE_RATE = 'follower.replication.throttled.rate';

export const DYNAMIC_BROKER_CONFIGS: ReadonlyMap<string, ConfigDefinition> = new Map(
  [LEADER_THROTTLE_RATE, FOLLOWER_THROTTLE_RATE].map((name) => [name, { name, type: ConfigType.Long, defaultValue: UNLIMITED, validate: longAtLeast(0n) }]),
);

/** The dynamic configs in force, as the metadata image holds them. */
export interface DynamicBrokerConfigState {
  brokerConfigs: ReadonlyMap<string, string>;
  perBrokerConfigs: ReadonlyMap<BrokerId, ReadonlyMap<string, string>>;
}

/**
 * `brokerId` null describes the cluster-wide default, which (as in Kafka) lists only what is
 * set there; a broker id gives every dynamic config with the value that applies to it.
 */
export function resolveDynamicBrokerConfigs(state: DynamicBrokerConfigState, brokerId: BrokerId | null): ResolvedConfig[] {
  const own = brokerId === null ? undefined : state.perBrokerConfigs.get(brokerId);
  const resolved: ResolvedConfig[] = [];
  for (const definition of DYNAMIC_BROKER_CONFIGS.values()) {
    const synonyms: ResolvedConfig['synonyms'] = [];
    const ownValue = own?.get(definition.name);
    if (ownValue !== undefined) synonyms.push({ name: definition.name, value: ownValue, source: ConfigSource.DynamicBroker });
    const clusterValue = state.brokerConfigs.get(definition.name);
    if (clusterValue !== undefined) synonyms.push({ name: definition.name, value: clusterValue, source: ConfigSource.DynamicDefaultBroker });
    if (brokerId === null && clusterValue === undefined) continue;
    synonyms.push({ name: definition.name, value: definition.defaultValue, source: ConfigSource.Default });
    const winner = synonyms[0]!;
    resolved.push({ name: definition.name, value: winner.value, source: winner.source, type: definition.type, synonyms });
  }
  return resolved;
}

/** The throttle rate in bytes/s that applies to `brokerId`, or null when unlimited. */
export function throttleRate(state: DynamicBrokerConfigState, brokerId: BrokerId, name: typeof LEADER_THROTTLE_RATE | typeof FOLLOWER_THROTTLE_RATE): number | null {
  const value = (state.perBrokerConfigs.get(brokerId)?.get(name) ?? state.brokerConfigs.get(name) ?? UNLIMITED).trim();
  const rate = BigInt(value);
  return rate >= BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(rate);
}
