import type { SamsaBridge } from '../../../src/api/bridge';
import { fail, isEnvelope, type Envelope } from '../../../src/api/envelope';

declare global {
  interface Window {
    /** Present only inside the Electron window, put there by main/preload.ts. */
    readonly samsa?: SamsaBridge;
  }
}

/**
 * How the renderer reaches the back end: the Electron bridge, or HTTP in browser mode. The
 * bridge ignores `signal`: an IPC call holds nothing another call would wait for.
 */
export interface Transport {
  call(method: string, input: unknown, signal?: AbortSignal): Promise<Envelope<unknown>>;
  subscribe: SamsaBridge['subscribe'];
}

function httpTransport(): Transport {
  let source: EventSource | undefined;
  let subscribers = 0;

  return {
    async call(method, input, signal) {
      let response: Response;
      try {
        // Chromium opens at most six HTTP/1.1 connections per host: a left page's slow reads
        // would hold them and the next page's calls queue in the browser. Aborting frees the
        // connection; the back end finishes the call and its answer is dropped.
        response = await fetch('api/call', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ method, input }),
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        return fail('transport', `Cannot reach the Samsa back end (${(error as Error).message}). Is \`samsa ui\` still running?`);
      }
      const body: unknown = await response.json().catch((error: unknown) => {
        if (signal?.aborted) throw error;
        return undefined;
      });
      return isEnvelope(body) ? body : fail('transport', `The back end answered HTTP ${response.status} without a result`);
    },

    subscribe(event, listener) {
      // One stream carries every event; it opens with the first subscriber and closes with the
      // last. EventSource reconnects by itself when the server restarts.
      source ??= new EventSource('api/events');
      subscribers += 1;
      const stream = source;
      const onMessage = (message: MessageEvent<string>): void => listener(JSON.parse(message.data) as unknown);
      stream.addEventListener(event, onMessage);
      return () => {
        stream.removeEventListener(event, onMessage);
        subscribers -= 1;
        if (subscribers === 0) {
          stream.close();
          source = undefined;
        }
      };
    },
  };
}

export const transport: Transport = window.samsa ?? httpTransport();

export type { Envelope };
