import { isEventName, type EventName, type EventPayload } from './contract';

type AnyListener = (name: EventName, payload: unknown) => void;

/**
 * In-process publish/subscribe for the contract's events. Each transport subscribes once with
 * `onAny` and forwards to its clients (SSE streams, Electron windows). A listener that throws
 * is isolated so one broken client cannot stop delivery to the others.
 */
export class EventBus {
  readonly #listeners = new Set<AnyListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (!isEventName(name)) throw new Error(`Event ${String(name)} is not in the contract`);
    for (const listener of [...this.#listeners]) {
      try {
        listener(name, payload);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  /** Receives every event; returns a function that unsubscribes. */
  onAny(listener: AnyListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
