import { ApiError } from '../envelope';
import { defineHandlers } from './types';

export const commandHandlers = defineHandlers({
  'commands.preview': async (input, { sessions, embedded }) => {
    switch (input.action) {
      case 'delete-topic':
        return { command: await sessions.use(input.clusterId, async (session) => session.commandFor({ kind: 'delete-topic', topic: input.topic })), note: null };
      case 'delete-group':
        return { command: await sessions.use(input.clusterId, async (session) => session.commandFor({ kind: 'delete-group', group: input.group })), note: null };
      case 'stop-broker':
      case 'kill-broker': {
        const broker = embedded.status().brokers.find((entry) => entry.brokerId === input.brokerId);
        if (broker === undefined || broker.pid === null) throw new ApiError('not-found', `Broker ${input.brokerId} of the embedded cluster is not running.`);
        // kafka-server-stop.sh sends SIGTERM, which a Kafka broker (and ours) answers with a controlled shutdown.
        return input.action === 'stop-broker'
          ? { command: `kill -TERM ${broker.pid}`, note: 'What kafka-server-stop.sh does on the broker’s host: SIGTERM starts a controlled shutdown.' }
          : { command: `kill -KILL ${broker.pid}`, note: 'A crash: the process gets no chance to hand over its leaderships.' };
      }
    }
  },
});
