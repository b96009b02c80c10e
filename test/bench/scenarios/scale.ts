import fs from 'node:fs';
import path from 'node:path';
import { CLEAN_SHUTDOWN_MARKER } from '../../../src/engine/log/logLoader';
import { startCluster, type BenchCluster } from '../cluster';
import { figure, type Figure } from '../figure';
import { TINY_SCALE, scaledSpec, loadScaleCluster, scaleGroupName, scaleTopicName, type LoadedCluster } from '../scaleCluster';
import { adminScale } from './adminScale';
import { measureUi, uiFigures, type UiTarget } from './uiScale';

function uiTarget(loaded: LoadedCluster): UiTarget {
  return {
    bootstrap: loaded.cluster.bootstrap,
    topics: Array.from({ length: loaded.spec.topics }, (_, i) => scaleTopicName(i)),
    groups: Array.from({ length: loaded.spec.groups }, (_, i) => scaleGroupName(i)),
  };
}

async function timedStop(cluster: BenchCluster): Promise<number> {
  const started = process.hrtime.bigint();
  await cluster.stop();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Partition directories of every broker, and how many a clean shutdown marked clean. */
function cleanLogs(dataDir: string): { partitions: number; clean: number } {
  let partitions = 0;
  let clean = 0;
  for (const broker of fs.readdirSync(dataDir).filter((name) => name.startsWith('broker-'))) {
    for (const entry of fs.readdirSync(path.join(dataDir, broker), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      partitions++;
      if (fs.existsSync(path.join(dataDir, broker, entry.name, CLEAN_SHUTDOWN_MARKER))) clean++;
    }
  }
  return { partitions, clean };
}

/**
 * The loaded cluster's clean stop (SIGTERM to exit: controlled shutdown, every log synced and
 * marked clean), against the same for a cluster right after startup. A stop that runs out of
 * time leaves logs unmarked, which the next start must recover: the details count them.
 */
async function stopFigure(work: string, loaded: LoadedCluster, label: string): Promise<Figure> {
  const stopMs = await timedStop(loaded.cluster);
  const logs = cleanLogs(loaded.cluster.dataDir);
  const idle = await startCluster(path.join(work, 'scale-stop-baseline'), loaded.spec.brokers);
  const idleStopMs = await timedStop(idle);
  return figure(`scale cluster clean stop (${label})`, 'ms', [stopMs], 'same brokers right after startup', [idleStopMs], {
    partitionLogs: logs.partitions,
    markedClean: logs.clean,
  });
}

/**
 * admin_scale and ui_scale share one loaded cluster, since loading it is most of the time.
 * `fraction` of the scale (10,000 topics / 100,000 partitions / 2,000 groups): 1 by
 * default, 0.01 with --quick so the whole quick run stays within two minutes; --scale=0.1
 * is the size the README's figures were measured at.
 */
export async function scale(work: string, quick: boolean, fraction: number, parts: { admin: boolean; ui: boolean }): Promise<Figure[]> {
  const spec = scaledSpec(fraction);
  const loaded = await loadScaleCluster(work, spec);
  const figures: Figure[] = [];
  const partitions = spec.topics * spec.partitionsPerTopic;
  const label = `${spec.topics} topics/${partitions} partitions/${spec.groups} groups, ${spec.brokers} brokers`;
  try {
    figures.push(
      figure(`scale cluster load (${label})`, 'ms', [loaded.timings.total], 'cluster startup to ready', [loaded.timings.startup], {
        createTopicsMs: loaded.timings.createTopics,
        produceMs: loaded.timings.produce,
        commitOffsetsMs: loaded.timings.commitOffsets,
      }),
      figure(`scale cluster memory after load (${label}, RSS)`, 'MiB', [loaded.rssMiB], 'same cluster right after startup', [loaded.idleRssMiB]),
    );
    if (parts.admin) figures.push(...(await adminScale(loaded, quick ? 3 : 5)));
    if (parts.ui) {
      const runs = quick ? 2 : 3;
      const large = await measureUi(work, 'loaded', uiTarget(loaded), runs);
      const tiny = await loadScaleCluster(work, TINY_SCALE);
      try {
        figures.push(...uiFigures(`${spec.topics} topics, ${spec.groups} groups`, large, await measureUi(work, 'empty', uiTarget(tiny), runs)));
      } finally {
        await tiny.cluster.stop();
      }
    }
  } catch (error) {
    await loaded.cluster.stop();
    throw error;
  }
  figures.push(await stopFigure(work, loaded, label));
  return figures;
}
