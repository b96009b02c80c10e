import type { SamsaBridge } from '../../../src/api/bridge';
import { fail, isEnvelope, type Envelope } from '../../../src/api/envelope';

declare global {
  interface Window {
    /** Present only inside the Electron window, put there by main/preload.ts. */
    readonly samsa?: SamsaBridge;
  }
}

/** How the renderer reaches the back end: the Electron bridge, or HTTP in browser mode. */
export type Transport = SamsaBridge;

function httpTransport(): Transport {
  let source: EventSource | undefined;
  let subscribers = 0;

  return {
    async call(method, input) {
      let response: Response;
      try {
        response = await fetch('api/call', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ method, input }),
        });
      } catch (error) {
        return fail('transport', `Cannot reach the Samsa back end (${(error as Error).message}). Is \`samsa ui\` still running?`);
      }
      const body: unknown = await response.json().catch(() => undefined);
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
