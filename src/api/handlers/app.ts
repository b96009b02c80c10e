import { defineHandlers } from './types';

export const appHandlers = defineHandlers({
  'app.info': (_input, { info }) => info,
});
