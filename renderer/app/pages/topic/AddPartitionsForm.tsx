import { useId, useState } from 'react';
import type { ClusterRef } from '../../../../src/api/schemas/clusterRef';
import { useAddPartitions, useChangeCommand } from '../../api/topicDataHooks';
import { CommandBlock } from '../../components/CommandBlock';
import { TypedConfirm } from '../../components/TypedConfirm';

/**
 * Raising a topic's partition count: Kafka can only add partitions, and keyed producers then
 * map keys to different partitions, which is the warning every Kafka user has met. The new
 * count, the warning and the kafka-topics.sh command come first; the typed topic name applies.
 */
export function AddPartitionsForm({ clusterId, topic, current, onClose, onDone }: { clusterId: ClusterRef; topic: string; current: number; onClose: () => void; onDone: (summary: string, command: string) => void }) {
  const ids = useId();
  const [total, setTotal] = useState(String(current + 1));
  const add = useAddPartitions();
  const count = Number(total);
  const problem = !/^\d+$/.test(total.trim()) ? 'Enter a whole number' : count <= current ? `More than the current ${current}: Kafka cannot remove partitions` : count > 10_000 ? 'At most 10000 partitions' : null;
  const command = useChangeCommand(clusterId, problem === null ? { kind: 'add-partitions', topic, totalPartitions: count } : null);
  return (
    <section className="form add-partitions" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`} className="panel-title">
        Add partitions
      </h3>
      <div className="field">
        <label htmlFor={`${ids}-total`}>New partition count (now {current})</label>
        <input id={`${ids}-total`} className="narrow-input" inputMode="numeric" value={total} onChange={(event) => setTotal(event.target.value)} aria-invalid={problem !== null || undefined} aria-describedby={`${ids}-problem`} />
        <p id={`${ids}-problem`} className={problem === null ? 'field-hint muted' : 'field-error'}>
          {problem ?? `Adds ${count - current} partition${count - current === 1 ? '' : 's'}, numbered ${current} to ${count - 1}, placed by the cluster.`}
        </p>
      </div>
      <div className="warning-box" role="note" aria-label="Key ordering warning">
        <strong>Keys will move.</strong> The default partitioner sends a key to hash(key) mod the partition count, so after this change most keys go to a
        different partition than before: ordering per key holds only within each side of the change, and consumers that keep state per partition (Kafka
        Streams, compacted topics read as tables) see a key in two places. Partitions cannot be removed again.
      </div>
      {problem === null && command.data ? <CommandBlock command={command.data.kafkaCommand} /> : null}
      {problem === null ? (
        <TypedConfirm
          name={topic}
          action="Add partitions"
          consequence={`${topic} goes from ${current} to ${count} partitions.`}
          pending={add.isPending}
          error={add.isError ? add.error.message : null}
          onCancel={onClose}
          onConfirm={(confirmation) =>
            add.mutate({ clusterId, topic, totalPartitions: count, confirmation }, { onSuccess: (result) => onDone(`${topic} now has ${result.partitions} partitions`, result.kafkaCommand) })
          }
        />
      ) : (
        <div className="row-actions start">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}
