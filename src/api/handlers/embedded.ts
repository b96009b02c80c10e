import { defineHandlers } from './types';

/** The embedded cluster's lifecycle and fault controls; its data is read like any cluster's. */
export const embeddedHandlers = defineHandlers({
  'embedded.status': (_input, { embedded }) => embedded.status(),

  'embedded.start': (input, { embedded }) => embedded.start(input),

  'embedded.stop': (_input, { embedded, lab }) => {
    lab.assertIdle('stop the embedded cluster');
    return embedded.stop();
  },

  'embedded.broker': ({ id, action }, { embedded }) => embedded.broker(id, action),
});
