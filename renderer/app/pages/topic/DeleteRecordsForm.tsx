import { useId, useMemo, useState } from 'react';
import type { ClusterRef } from '../../../../src/api/schemas/clusterRef';
import type { PartitionRow } from '../../../../src/api/schemas/topics';
import { useChangeCommand, useDeleteRecords } from '../../api/topicDataHooks';
import { CommandBlock } from '../../components/CommandBlock';
import { TypedConfirm } from '../../components/TypedConfirm';
import { planRecordDeletion, type DeleteTarget } from '../../deleteRecordsPlan';
import { formatCount, plural } from '../../format';

/**
 * DeleteRecords with a preview: per chosen partition, the log start now and after, and how
 * many records go; then the kafka-delete-records.sh command with its JSON file, and the typed
 * topic name to apply. Only the log start moves: offsets of the records kept do not change.
 */
export function DeleteRecordsForm({ clusterId, topic, partitions, onClose, onDone }: { clusterId: ClusterRef; topic: string; partitions: readonly PartitionRow[]; onClose: () => void; onDone: (summary: string, command: string) => void }) {
  const ids = useId();
  const [mode, setMode] = useState<'all' | 'offset'>('all');
  const [chosen, setChosen] = useState<ReadonlySet<number>>(() => new Set(partitions.map((partition) => partition.partition)));
  const [offsets, setOffsets] = useState<Readonly<Record<number, string>>>({});
  const remove = useDeleteRecords();
  const targets = useMemo(
    () => new Map<number, DeleteTarget>([...chosen].map((partition) => [partition, mode === 'all' ? { kind: 'all' } : { kind: 'offset', text: offsets[partition] ?? '' }])),
    [chosen, mode, offsets],
  );
  const plan = planRecordDeletion(partitions, targets);
  const valid = plan.length > 0 && plan.every((row) => row.error === null);
  const total = plan.reduce((sum, row) => sum + row.deleted, 0);
  const requestOffsets = plan.map((row) => ({ partition: row.partition, offset: row.requestOffset }));
  const command = useChangeCommand(clusterId, valid ? { kind: 'delete-records', topic, offsets: requestOffsets } : null);
  const toggle = (partition: number, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(partition);
    else next.delete(partition);
    setChosen(next);
  };
  return (
    <section className="form delete-records" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`} className="panel-title">
        Delete records
      </h3>
      <fieldset className="radio-row">
        <legend className="field-label">Delete</legend>
        <label className="checkbox">
          <input type="radio" name={`${ids}-mode`} checked={mode === 'all'} onChange={() => setMode('all')} /> Every record below the high watermark
        </label>
        <label className="checkbox">
          <input type="radio" name={`${ids}-mode`} checked={mode === 'offset'} onChange={() => setMode('offset')} /> Records below an offset, per partition
        </label>
      </fieldset>
      <div className="table-wrap">
        <table className="table table-compact" aria-label="Records to delete">
          <thead>
            <tr>
              <th scope="col">Partition</th>
              <th scope="col" className="numeric">
                Log start
              </th>
              <th scope="col" className="numeric">
                High watermark
              </th>
              {mode === 'offset' ? <th scope="col">Delete below offset</th> : null}
              <th scope="col" className="numeric">
                New log start
              </th>
              <th scope="col" className="numeric">
                Records deleted
              </th>
            </tr>
          </thead>
          <tbody>
            {partitions.map((partition) => {
              const row = plan.find((entry) => entry.partition === partition.partition);
              return (
                <tr key={partition.partition} aria-label={`Partition ${partition.partition}`}>
                  <th scope="row">
                    <label className="checkbox">
                      <input type="checkbox" checked={chosen.has(partition.partition)} onChange={(event) => toggle(partition.partition, event.target.checked)} aria-label={`Include partition ${partition.partition}`} /> {partition.partition}
                    </label>
                  </th>
                  <td className="numeric">{partition.logStartOffset < 0 ? '—' : formatCount(partition.logStartOffset)}</td>
                  <td className="numeric">{partition.highWatermark < 0 ? '—' : formatCount(partition.highWatermark)}</td>
                  {mode === 'offset' ? (
                    <td>
                      <input
                        className="narrow-input mono"
                        inputMode="numeric"
                        aria-label={`Offset for partition ${partition.partition}`}
                        disabled={!chosen.has(partition.partition)}
                        value={offsets[partition.partition] ?? ''}
                        placeholder={String(partition.highWatermark)}
                        onChange={(event) => setOffsets({ ...offsets, [partition.partition]: event.target.value })}
                      />
                      {row?.error ? <span className="field-error"> {row.error}</span> : null}
                    </td>
                  ) : null}
                  <td className="numeric">{row?.newLogStart == null ? <span className="muted">—</span> : formatCount(row.newLogStart)}</td>
                  <td className="numeric" aria-label="Records deleted">
                    {row === undefined ? <span className="muted">—</span> : <span className={row.deleted > 0 ? 'count-bad' : undefined}>{formatCount(row.deleted)}</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p role="status" aria-label="Delete records summary">
        {plan.length === 0 ? 'Choose at least one partition.' : `${plural(total, 'record')} will be deleted from ${plural(plan.length, 'partition')}.`}
      </p>
      {valid && command.data ? <CommandBlock command={command.data.kafkaCommand} /> : null}
      {valid ? (
        <TypedConfirm
          name={topic}
          action="Delete records"
          consequence="Consumers positioned below the new log start reset by their auto.offset.reset policy. Deleted records cannot be recovered."
          pending={remove.isPending}
          error={remove.isError ? remove.error.message : null}
          onCancel={onClose}
          onConfirm={(confirmation) =>
            remove.mutate(
              { clusterId, topic, offsets: requestOffsets, confirmation },
              {
                onSuccess: (result) =>
                  onDone(`log start offsets now ${Object.entries(result.logStartOffsets).map(([partition, offset]) => `${partition}: ${offset}`).join(', ')}`, result.kafkaCommand),
              },
            )
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
