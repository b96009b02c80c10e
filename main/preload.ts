import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type BridgeEventMessage, type SamsaBridge } from '../src/api/bridge';
import type { Envelope } from '../src/api/envelope';

/**
 * The renderer's only door to the main process. It exposes two functions and never the
 * ipcRenderer object itself, so page code cannot send on arbitrary channels. Built as
 * CommonJS: Electron loads sandboxed preloads as classic scripts.
 */
const bridge: SamsaBridge = {
  call: (method, input) => ipcRenderer.invoke(IPC_CALL_CHANNEL, method, input) as Promise<Envelope<unknown>>,
  subscribe: (event, listener) => {
    const forward = (_event: IpcRendererEvent, message: BridgeEventMessage): void => {
      if (message.name === event) listener(message.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('samsa', bridge);
