import fs from 'node:fs';

/**
 * `npx tsx test/bench/profileSummary.ts FILE.cpuprofile [top]`: self time by function from a
 * V8 CPU profile (broker processes write them with SAMSA_BROKER_NODE_OPTIONS="--cpu-prof
 * --cpu-prof-dir=DIR"), heaviest first, with the share of all samples.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
if (file === undefined) {
  process.stderr.write('usage: profileSummary FILE.cpuprofile [top]\n');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, index) => {
  const node = byId.get(id);
  const delta = profile.timeDeltas[index] ?? 0;
  total += delta;
  if (node === undefined) return;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url === '' ? '' : ` ${url.replace(/^.*\/(dist|src|node_modules)\//, '$1/')}:${lineNumber + 1}`;
  const key = `${functionName || '(anonymous)'}${where}`;
  selfMicros.set(key, (selfMicros.get(key) ?? 0) + delta);
});
const rows = [...selfMicros].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 30));
process.stdout.write(`total ${(total / 1000).toFixed(0)} ms\n`);
for (const [name, micros] of rows) process.stdout.write(`${(micros / 1000).toFixed(1).padStart(9)} ms ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${name}\n`);

/** `--callers=NAME`: the heaviest call stacks (5 frames) ending in functions named NAME. */
const callersOf = process.argv.find((arg) => arg.startsWith('--callers='))?.slice('--callers='.length);
if (callersOf !== undefined) {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stacks = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    if (byId.get(id)?.callFrame.functionName !== callersOf) return;
    const frames: string[] = [];
    for (let at: number | undefined = parent.get(id); at !== undefined && frames.length < 5; at = parent.get(at)) frames.push(byId.get(at)!.callFrame.functionName || '(anonymous)');
    const key = frames.join(' < ');
    stacks.set(key, (stacks.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  process.stdout.write(`\ncallers of ${callersOf}:\n`);
  for (const [stack, micros] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 10)) process.stdout.write(`${(micros / 1000).toFixed(1).padStart(9)} ms  ${stack}\n`);
}

/**
 * `--stretches=MS`: every stretch of at least MS ms in which the process never went idle
 * (consecutive samples outside "(idle)"), with what it spent the stretch on. A latency tail
 * made by one process's long tasks or GC shows here; sampling at 100 µs
 * (`--cpu-prof-interval=100`) resolves stretches of a few ms.
 */
const stretchArg = process.argv.find((arg) => arg.startsWith('--stretches='))?.slice('--stretches='.length);
if (stretchArg !== undefined) {
  const minMicros = Number(stretchArg) * 1000;
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const name = (id: number) => {
    const frame = byId.get(id)!.callFrame;
    return `${frame.functionName || '(anonymous)'}${frame.url === '' ? '' : `:${frame.lineNumber + 1}`}`;
  };
  /** The frame just under the root: which task (timer, socket read, GC) the sample belongs to. */
  const task = (id: number) => {
    let at = id;
    for (let up = parent.get(at); up !== undefined && parent.get(up) !== undefined; up = parent.get(up)) at = up;
    return name(at);
  };
  let clock = 0;
  let start = -1;
  let stretch: number[] = [];
  const report = (end: number) => {
    if (end - start >= minMicros) {
      const bySelf = new Map<string, number>();
      const byTask = new Map<string, number>();
      for (const id of stretch) {
        bySelf.set(name(id), (bySelf.get(name(id)) ?? 0) + 1);
        byTask.set(task(id), (byTask.get(task(id)) ?? 0) + 1);
      }
      const top = (counts: Map<string, number>) => [...counts].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([key, n]) => `${key} ${Math.round((n / stretch.length) * 100)}%`).join(', ');
      process.stdout.write(`${(start / 1e6).toFixed(3)} s  ${((end - start) / 1000).toFixed(1)} ms  ${stretch.length} samples  tasks: ${top(byTask)}\n      self: ${top(bySelf)}\n`);
    }
  };
  profile.samples.forEach((id, index) => {
    clock += profile.timeDeltas[index] ?? 0;
    const idle = byId.get(id)?.callFrame.functionName === '(idle)';
    if (!idle && start < 0) {
      start = clock;
      stretch = [];
    }
    if (!idle) stretch.push(id);
    if (idle && start >= 0) {
      report(clock);
      start = -1;
    }
  });
}
