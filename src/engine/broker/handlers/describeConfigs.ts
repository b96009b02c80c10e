// DescribeConfigs (API 32), 0-4. Topics: every topic config with its effective value and
// where it came from (topic override, broker default, built-in default), with synonyms on
// request (v1+). Brokers: this broker's static configuration under Kafka's names plus the
// dynamic configs with the value that applies to it (its own, else the cluster-wide one, else
// the default); resource name "" lists only the cluster-wide dynamic configs, as Kafka does.
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { DescribeConfigsRequest } from '../../../protocol/generated/describeConfigsRequest';
import {
  defaultDescribeConfigsResponse,
  defaultDescribeConfigsResponseDescribeConfigsResult,
  type DescribeConfigsResponse,
} from '../../../protocol/generated/describeConfigsResponse';
import { ConfigSource, ConfigType, resolveTopicConfigs, type ResolvedConfig } from '../../config/configDefinitions';
import { resolveDynamicBrokerConfigs } from '../../config/dynamicBrokerConfigs';
import { defineHandler } from '../apiHandler';
import type { BrokerConfig } from '../brokerConfig';
import type { BrokerServices } from '../brokerServices';
import { ResourceType } from './resourceType';

type Result = DescribeConfigsResponse['results'][number];
type Entry = Result['configs'][number];

/** The broker's own settings, as Kafka names them. */
export function brokerConfigEntries(config: BrokerConfig): ResolvedConfig[] {
  const entry = (name: string, value: string | number | boolean | null, type: ResolvedConfig['type']): ResolvedConfig => ({
    name,
    value: value === null ? '' : String(value),
    source: ConfigSource.StaticBroker,
    type,
    synonyms: [],
  });
  return [
    entry('node.id', config.brokerId, ConfigType.Int),
    entry('broker.id', config.brokerId, ConfigType.Int),
    entry('broker.rack', config.rack, ConfigType.String),
    entry('listeners', `PLAINTEXT://${config.host}:${config.port}`, ConfigType.List),
    entry('advertised.listeners', `PLAINTEXT://${config.advertisedHost}:${config.port}`, ConfigType.List),
    entry('log.dirs', config.dataDir, ConfigType.List),
    entry('socket.request.max.bytes', config.socketRequestMaxBytes, ConfigType.Int),
    entry('auto.create.topics.enable', config.autoCreateTopicsEnable, ConfigType.Boolean),
    entry('num.partitions', config.numPartitions, ConfigType.Int),
    entry('default.replication.factor', config.defaultReplicationFactor, ConfigType.Int),
    entry('offsets.topic.num.partitions', config.offsetsTopicNumPartitions, ConfigType.Int),
    entry('offsets.topic.replication.factor', config.offsetsTopicReplicationFactor, ConfigType.Short),
    entry('transaction.state.log.num.partitions', config.transactionStateLogNumPartitions, ConfigType.Int),
    entry('transaction.state.log.replication.factor', config.transactionStateLogReplicationFactor, ConfigType.Short),
    entry('group.initial.rebalance.delay.ms', config.groupInitialRebalanceDelayMs, ConfigType.Int),
    entry('group.min.session.timeout.ms', config.groupMinSessionTimeoutMs, ConfigType.Int),
    entry('group.max.session.timeout.ms', config.groupMaxSessionTimeoutMs, ConfigType.Int),
    entry('offsets.retention.minutes', config.offsetsRetentionMinutes, ConfigType.Int),
    entry('offsets.retention.check.interval.ms', config.offsetsRetentionCheckIntervalMs, ConfigType.Long),
    entry('transaction.max.timeout.ms', config.transactionMaxTimeoutMs, ConfigType.Int),
    entry('replica.lag.time.max.ms', config.replicaLagTimeMaxMs, ConfigType.Long),
    ...Object.entries(config.topicDefaults).map(([name, value]) => entry(name, value, ConfigType.String)),
  ];
}

/** One literal of the response's shape: tens of thousands of these make up an admin view's answer. */
function toEntry(config: ResolvedConfig, version: number, includeSynonyms: boolean): Entry {
  return {
    name: config.name,
    value: config.value,
    readOnly: config.source === ConfigSource.StaticBroker,
    // v0 only; later versions say the same through configSource.
    isDefault: version === 0 && config.source === ConfigSource.Default,
    configSource: config.source,
    isSensitive: false,
    synonyms: includeSynonyms && version >= 1 ? config.synonyms : [],
    configType: config.type,
    documentation: null,
  };
}

function isEmpty(record: Readonly<Record<string, string>>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return false;
  return true;
}

const NO_OVERRIDES: Readonly<Record<string, string>> = Object.freeze({});

export function describeConfigsHandler(services: BrokerServices) {
  const { metadata, config } = services;

  /** The broker-level values topic configs fall back to. */
  const topicFallbacks = () => ({ ...config.topicDefaults, ...Object.fromEntries(metadata.brokerConfigs) });

  /**
   * What one request works out once for all its resources: the broker-level values topic
   * configs fall back to, and the entries of a topic without overrides, which most topics
   * are (shared between their results: the response is only read, to be encoded).
   */
  class RequestScope {
    private fallbacks: Record<string, string> | undefined;
    private readonly plainTopicEntries = new Map<string, Entry[]>();

    constructor(
      readonly version: number,
      readonly includeSynonyms: boolean,
    ) {}

    topicConfigs(overrides: Readonly<Record<string, string>>): ResolvedConfig[] {
      return resolveTopicConfigs(overrides, (this.fallbacks ??= topicFallbacks()));
    }

    /** Entries of a topic with no overrides, per distinct set of keys asked (null: all). */
    plainTopic(wanted: string[] | null): Entry[] {
      const key = wanted === null ? '' : JSON.stringify(wanted);
      let entries = this.plainTopicEntries.get(key);
      if (entries === undefined) {
        entries = this.entries(this.topicConfigs(NO_OVERRIDES), wanted);
        this.plainTopicEntries.set(key, entries);
      }
      return entries;
    }

    entries(configs: ResolvedConfig[], wanted: string[] | null): Entry[] {
      const selected = wanted === null ? configs : configs.filter((c) => wanted.includes(c.name));
      return selected.map((c) => toEntry(c, this.version, this.includeSynonyms));
    }
  }

  function describe(resource: DescribeConfigsRequest['resources'][number], scope: RequestScope): Result {
    const result = (errorCode: number, errorMessage: string | null, configs: Entry[]): Result => ({
      errorCode,
      errorMessage,
      resourceType: resource.resourceType,
      resourceName: resource.resourceName,
      configs,
    });
    const wanted = resource.configurationKeys;
    let configs: ResolvedConfig[];
    switch (resource.resourceType) {
      case ResourceType.Topic: {
        const topic = metadata.topicsByName.get(resource.resourceName);
        if (topic === undefined) {
          return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic "${resource.resourceName}" does not exist`, []);
        }
        if (isEmpty(topic.configs)) return result(ErrorCode.NONE, null, scope.plainTopic(wanted));
        configs = scope.topicConfigs(topic.configs);
        break;
      }
      case ResourceType.Broker:
        if (resource.resourceName === '') {
          configs = resolveDynamicBrokerConfigs(metadata, null);
          break;
        }
        if (resource.resourceName !== String(config.brokerId)) {
          return result(ErrorCode.INVALID_REQUEST, `This is broker ${config.brokerId}; ask broker ${resource.resourceName} for its own configs`, []);
        }
        configs = [...brokerConfigEntries(config), ...resolveDynamicBrokerConfigs(metadata, config.brokerId)];
        break;
      default:
        return result(ErrorCode.INVALID_REQUEST, `Resource type ${resource.resourceType} has no configs here`, []);
    }
    return result(ErrorCode.NONE, null, scope.entries(configs, wanted));
  }

  return defineHandler({
    apiKey: ApiKey.DescribeConfigs,
    minVersion: 0,
    maxVersion: 4,
    handle(request: DescribeConfigsRequest, context) {
      const scope = new RequestScope(context.apiVersion, request.includeSynonyms);
      return {
        ...defaultDescribeConfigsResponse(),
        results: request.resources.map((r) => describe(r, scope)),
      };
    },
    errorResponse(request: DescribeConfigsRequest, errorCode: number) {
      return {
        ...defaultDescribeConfigsResponse(),
        results: request.resources.map((r) => ({
          ...defaultDescribeConfigsResponseDescribeConfigsResult(),
          errorCode,
          resourceType: r.resourceType,
          resourceName: r.resourceName,
        })),
      };
    },
  });
}
