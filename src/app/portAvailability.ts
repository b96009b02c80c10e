import { createServer } from 'node:net';

/** Whether a TCP port on 127.0.0.1 can be listened on right now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Kafka's usual port (9092, then 9093...) when all `count` of them are free, so the embedded
 * cluster has the bootstrap address users expect; otherwise 0, which lets every broker pick
 * a free port. Another process can still take a port between this check and the bind; the
 * start then fails with the reason and the user can try again.
 */
export async function preferredFirstPort(preferred: number, count: number): Promise<number> {
  for (let offset = 0; offset < count; offset++) {
    if (!(await portIsFree(preferred + offset))) return 0;
  }
  return preferred;
}
