import type { Envelope } from './envelope';

/**
 * What the Electron preload exposes to the renderer as `window.samsa`. Deliberately untyped
 * by method: the preload only forwards, the main process validates every call against the
 * contract, and the renderer's client adds the per-call types on top.
 */
export interface SamsaBridge {
  call(method: string, input: unknown): Promise<Envelope<unknown>>;
  /** Returns a function that ends the subscription. */
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/** IPC channel names, shared by main and preload so they cannot drift apart. */
export const IPC_CALL_CHANNEL = 'samsa:call';
export const IPC_EVENT_CHANNEL = 'samsa:event';

/** What travels on IPC_EVENT_CHANNEL. */
export interface BridgeEventMessage {
  readonly name: string;
  readonly payload: unknown;
}
