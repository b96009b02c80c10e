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
