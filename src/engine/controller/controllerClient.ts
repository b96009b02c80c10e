import type { Controller } from './controller';
import type { BrokerRegistration, MetadataLogEntry } from '../metadata/records';

/**
 * The controller operations a broker may ask for (KRaft brokers forward CreateTopics,
 * AlterConfigs... to the controller the same way). Arguments and results are plain JSON so
 * the same calls cross a process boundary unchanged.
 */
export const CONTROLLER_OPERATIONS = [
  'createTopics',
  'deleteTopic',
  'createPartitions',
  'alterTopicConfigs',
  'alterBrokerConfigs',
  'allocateProducerIds',
  'alterPartition',
  'electLeaders',
  'alterPartitionReassignments',
  'listPartitionReassignments',
] as const;
export type ControllerOperation = (typeof CONTROLLER_OPERATIONS)[number];
export type ControllerApi = Pick<Controller, ControllerOperation>;

export function isControllerOperation(value: unknown): value is ControllerOperation {
  return typeof value === 'string' && (CONTROLLER_OPERATIONS as readonly string[]).includes(value);
}

/** A broker's view of the controller, wherever it runs. */
export interface ControllerClient {
  /** Announces this broker; metadata entries start flowing to `onMetadata` from `fromOffset`. */
  register(registration: BrokerRegistration, fromOffset: number, onMetadata: (entries: MetadataLogEntry[]) => void): Promise<void>;
  call<M extends ControllerOperation>(method: M, ...args: Parameters<ControllerApi[M]>): Promise<ReturnType<ControllerApi[M]>>;
  /** Controlled shutdown: the controller moves leadership away before the broker stops. */
  unregister(brokerId: number): Promise<void>;
}

/** The controller in the same process: a single-broker setup and unit tests. */
export class InProcessControllerClient implements ControllerClient {
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly controller: Controller) {}

  async register(registration: BrokerRegistration, fromOffset: number, onMetadata: (entries: MetadataLogEntry[]) => void): Promise<void> {
    // Subscribe first so nothing appended during registration is missed; the image ignores
    // entries it has already applied.
    this.unsubscribe = this.controller.subscribe((entries) => queueMicrotask(() => onMetadata(entries)));
    const backlog = this.controller.readFrom(fromOffset);
    if (backlog.length > 0) onMetadata(backlog);
    this.controller.registerBroker(registration);
  }

  async call<M extends ControllerOperation>(method: M, ...args: Parameters<ControllerApi[M]>): Promise<ReturnType<ControllerApi[M]>> {
    const operation = this.controller[method] as (...a: Parameters<ControllerApi[M]>) => ReturnType<ControllerApi[M]>;
    return operation.apply(this.controller, args);
  }

  async unregister(brokerId: number): Promise<void> {
    this.controller.fenceBroker(brokerId);
    this.unsubscribe?.();
  }
}
