import { appHandlers } from './app';
import { auditHandlers } from './audit';
import { brokerHandlers } from './brokers';
import { clusterHandlers } from './clusters';
import { commandHandlers } from './commands';
import { embeddedHandlers } from './embedded';
import { groupHandlers } from './groups';
import { labHandlers } from './lab';
import { offsetResetHandlers } from './offsetReset';
import { overviewHandlers } from './overview';
import { reassignmentHandlers } from './reassignments';
import { topicDataHandlers } from './topicData';
import { topicHandlers } from './topics';
import type { Handlers } from './types';

/** One handler per contract call; a missing or extra one is a compile error here. */
export const handlers = {
  ...appHandlers,
  ...clusterHandlers,
  ...embeddedHandlers,
  ...overviewHandlers,
  ...brokerHandlers,
  ...topicHandlers,
  ...topicDataHandlers,
  ...groupHandlers,
  ...labHandlers,
  ...offsetResetHandlers,
  ...reassignmentHandlers,
  ...auditHandlers,
  ...commandHandlers,
} satisfies Handlers;
