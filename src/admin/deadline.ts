import { AdminError } from './adminError';

/**
 * Bounds an operation: no admin call waits longer than its deadline, whatever the layers
 * below do with retries. The operation itself is not cancelled (kafkajs has no cancellation),
 * but its result is ignored and the session is closed by the caller.
 */
export async function withDeadline<T>(what: string, timeoutMs: number, operation: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AdminError('timeout', `${what}: no answer from the cluster within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([operation(), expired]);
  } finally {
    clearTimeout(timer);
  }
}
