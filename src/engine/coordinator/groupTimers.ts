/**
 * The coordinator's timers (session expiry, join and sync deadlines, unclaimed member ids),
 * keyed by group then by purpose so a group's timers go away with the group. Every timer is
 * unref'd, so a broker shutting down never waits on a consumer's session, and replaced when
 * set again under the same key: a heartbeat resets a session by setting its timer anew.
 */
export class GroupTimers {
  private readonly byGroup = new Map<string, Map<string, NodeJS.Timeout>>();

  set(groupId: string, key: string, delayMs: number, onExpire: () => void): void {
    this.clear(groupId, key);
    let timers = this.byGroup.get(groupId);
    if (timers === undefined) {
      timers = new Map();
      this.byGroup.set(groupId, timers);
    }
    const timer = setTimeout(() => {
      const current = this.byGroup.get(groupId);
      if (current?.get(key) !== timer) return;
      current.delete(key);
      if (current.size === 0) this.byGroup.delete(groupId);
      onExpire();
    }, Math.max(0, delayMs));
    timer.unref();
    timers.set(key, timer);
  }

  clear(groupId: string, key: string): void {
    const timers = this.byGroup.get(groupId);
    const timer = timers?.get(key);
    if (timers === undefined || timer === undefined) return;
    clearTimeout(timer);
    timers.delete(key);
    if (timers.size === 0) this.byGroup.delete(groupId);
  }

  clearGroup(groupId: string): void {
    const timers = this.byGroup.get(groupId);
    if (timers === undefined) return;
    for (const timer of timers.values()) clearTimeout(timer);
    this.byGroup.delete(groupId);
  }

  clearAll(): void {
    for (const groupId of [...this.byGroup.keys()]) this.clearGroup(groupId);
  }
}
