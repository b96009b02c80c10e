import fs from 'node:fs';

/**
 * What the whole machine's CPUs did over an interval, from the kernel's counters (Linux
 * /proc/stat): the share left idle and the share *stolen*, time the hypervisor ran other
 * guests while this one had work. This machine is a shared VM: a latency run that lands in a
 * burst of steal (17 to 21% seen on 2026-11-22, against 1 to 3% otherwise) has a p99 several
 * times its neighbours' while the brokers' CPU per batch does not move. Reported beside the
 * figures so a reader can tell the machine's noise from the engine's.
 */
export interface MachineShare {
  /** Percent of CPU time idle (or waiting for I/O). */
  idlePercent: number;
  /** Percent of CPU time stolen by the hypervisor. */
  stealPercent: number;
}

interface CpuCounters {
  total: number;
  idle: number;
  steal: number;
}

/** The aggregate "cpu" line: user nice system idle iowait irq softirq steal ... (in clock ticks). */
function readCounters(): CpuCounters | null {
  let stat: string;
  try {
    stat = fs.readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  const fields = stat.split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return null;
  // guest and guest_nice (fields 9 and 10) are already counted in user and nice.
  const total = fields.slice(0, 8).reduce((sum, n) => sum + n, 0);
  return { total, idle: fields[3]! + fields[4]!, steal: fields[7]! };
}

/** Starts measuring; `stop()` gives the shares since, or null where /proc/stat cannot be read. */
export function startMachineShare(): { stop: () => MachineShare | null } {
  const start = readCounters();
  return {
    stop: () => {
      const end = readCounters();
      if (start === null || end === null || end.total <= start.total) return null;
      const total = end.total - start.total;
      return { idlePercent: (100 * (end.idle - start.idle)) / total, stealPercent: (100 * (end.steal - start.steal)) / total };
    },
  };
}
