/**
 * Sleeps that end after their time, or all together when woken: a retry back-off cut short
 * by a close, a fetch session's wait ended by the next change.
 */
export class WakeableSleeps {
  private readonly sleeping = new Set<() => void>();

  get size(): number {
    return this.sleeping.size;
  }

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleeping.add(wake);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.sleeping]) wake();
  }
}
