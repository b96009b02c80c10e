import { useId, useState, type ReactNode } from 'react';
import type { ClusterRef } from '../../../../src/api/schemas/clusterRef';
import type { ElectionRow } from '../../../../src/api/schemas/reassignments';
import type { PartitionRow } from '../../../../src/api/schemas/topics';
import { useElectPreferred } from '../../api/operationHooks';
import { useChangeCommand } from '../../api/topicDataHooks';
import { TypedConfirm } from '../../components/TypedConfirm';
import { CommandBlock } from '../../components/CommandBlock';
import { plural } from '../../format';
import { describeExpectation, describeOutcome, electionSummary, expectedElection, movableNow, offPreferredLeader } from '../../preferredElectionPlan';
import { toggled } from '../../selection';

function partitionList(partitions: readonly PartitionRow[]): string {
  return partitions.map((partition) => partition.partition).join(', ');
}

/**
 * Above the partition table: which partitions are off their preferred leader, and which of them
 * an election cannot move yet (their preferred replica is out of sync). Nothing when all are home.
 */
export function PreferredLeaderNotice({ partitions }: { partitions: readonly PartitionRow[] }) {
  const off = offPreferredLeader(partitions);
  if (off.length === 0) return null;
  const waiting = off.filter((partition) => expectedElection(partition)?.kind !== 'moves');
  const one = off.length === 1;
  return (
    <div className="notice preferred-leader-notice" role="region" aria-label="Preferred leaders">
      {plural(off.length, 'partition')} {one ? 'is' : 'are'} not led by {one ? 'its' : 'their'} preferred leader ({one ? 'partition' : 'partitions'} {partitionList(off)}).
      {waiting.length === 0
        ? ' Elect preferred leaders to move leadership back.'
        : ` The preferred replica of ${waiting.length === 1 ? 'partition' : 'partitions'} ${partitionList(waiting)} is not in sync, so an election cannot move leadership there yet.`}
    </div>
  );
}

/** Each elected partition's answer, shown with the page's "Done" notice. */
function ElectionResultTable({ results, partitions }: { results: readonly ElectionRow[]; partitions: readonly PartitionRow[] }) {
  return (
    <div className="table-wrap election-results">
      <table className="table table-compact" aria-label="Election result">
        <thead>
          <tr>
            <th scope="col" className="numeric">
              Partition
            </th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {results.map((row) => (
            <tr key={`${row.topic}-${row.partition}`} aria-label={`Partition ${row.partition}`}>
              <th scope="row" className="numeric">
                {row.partition}
              </th>
              <td className={row.outcome === 'failed' ? 'count-bad' : undefined}>
                {describeOutcome(
                  row,
                  partitions.find((partition) => partition.partition === row.partition),
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Scope = 'chosen' | 'topic';

/**
 * A preferred leader election for one topic, as kafka-leader-election.sh --election-type
 * PREFERRED: either the chosen partitions among those off their preferred leader, or every
 * partition of the topic (those already home answer ELECTION_NOT_NEEDED). The preview says what
 * each partition would do; the answer per partition comes back with the "Done" notice. No data
 * moves, but clients of the moved partitions reconnect to the new leaders, hence the typed
 * confirmation.
 */
export function PreferredLeaderElectionForm({
  clusterId,
  topic,
  partitions,
  onClose,
  onDone,
}: {
  clusterId: ClusterRef;
  topic: string;
  partitions: readonly PartitionRow[];
  onClose: () => void;
  onDone: (summary: string, command: string, details: ReactNode, failures: boolean) => void;
}) {
  const ids = useId();
  const off = offPreferredLeader(partitions);
  const [scope, setScope] = useState<Scope>(off.length > 0 ? 'chosen' : 'topic');
  const [chosen, setChosen] = useState<ReadonlySet<number>>(() => new Set(movableNow(partitions).map((partition) => partition.partition)));
  const elect = useElectPreferred();
  const listed = scope === 'topic' ? partitions : off;
  const targets = scope === 'topic' ? partitions : off.filter((partition) => chosen.has(partition.partition));
  const refs = targets.map((partition) => ({ topic, partition: partition.partition }));
  const command = useChangeCommand(clusterId, refs.length === 0 ? null : { kind: 'elect-leaders', electionType: 'preferred', partitions: refs });
  const moving = targets.filter((partition) => expectedElection(partition)?.kind === 'moves');
  const stuck = targets.filter((partition) => expectedElection(partition)?.kind === 'preferred-unavailable');
  return (
    <section className="form preferred-election" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`} className="panel-title">
        Preferred leader election
      </h3>
      <fieldset className="radio-row">
        <legend className="field-label">Elect for</legend>
        <label className="checkbox">
          <input type="radio" name={`${ids}-scope`} checked={scope === 'chosen'} disabled={off.length === 0} onChange={() => setScope('chosen')} /> Chosen partitions not on their preferred leader ({off.length})
        </label>
        <label className="checkbox">
          <input type="radio" name={`${ids}-scope`} checked={scope === 'topic'} onChange={() => setScope('topic')} /> The whole topic ({plural(partitions.length, 'partition')})
        </label>
      </fieldset>
      <div className="table-wrap">
        <table className="table table-compact" aria-label="Election preview">
          <thead>
            <tr>
              <th scope="col">Partition</th>
              <th scope="col" className="numeric">
                Leader
              </th>
              <th scope="col" className="numeric">
                Preferred leader
              </th>
              <th scope="col">After the election</th>
            </tr>
          </thead>
          <tbody>
            {listed.map((partition) => {
              const expectation = expectedElection(partition);
              return (
                <tr key={partition.partition} aria-label={`Partition ${partition.partition}`}>
                  <th scope="row">
                    {scope === 'chosen' ? (
                      <label className="checkbox">
                        <input
                          type="checkbox"
                          checked={chosen.has(partition.partition)}
                          onChange={(event) => setChosen(toggled(chosen, partition.partition, event.target.checked))}
                          aria-label={`Include partition ${partition.partition}`}
                        />{' '}
                        {partition.partition}
                      </label>
                    ) : (
                      partition.partition
                    )}
                  </th>
                  <td className="numeric">{partition.leader ?? <span className="count-bad">none</span>}</td>
                  <td className="numeric">{partition.replicas[0] ?? '—'}</td>
                  <td className={expectation?.kind === 'preferred-unavailable' ? 'text-warn' : expectation?.kind === 'moves' ? undefined : 'muted'}>{describeExpectation(expectation)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p role="status" aria-label="Election preview summary">
        {targets.length === 0
          ? 'Choose at least one partition.'
          : `${plural(moving.length, 'partition')} would change leader${moving.length === 0 ? '' : ` (${partitionList(moving)})`}${stuck.length === 0 ? '' : `; ${plural(stuck.length, 'partition')} would fail, ${stuck.length === 1 ? 'its' : 'their'} preferred replica being out of sync`}.`}
      </p>
      {targets.length === 0 ? (
        <div className="row-actions start">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      ) : (
        <TypedConfirm
          name={topic}
          action="Elect preferred leaders"
          consequence="Leadership moves to each partition's first replica where it is in sync. No data moves; producers and consumers of the moved partitions reconnect to their new leaders."
          pending={elect.isPending}
          error={elect.isError ? elect.error.message : null}
          onCancel={onClose}
          command={command.data ? <CommandBlock command={command.data.kafkaCommand} label="Equivalent election command" /> : null}
          onConfirm={() =>
            elect.mutate(
              { clusterId, partitions: refs },
              {
                onSuccess: (result) =>
                  onDone(
                    electionSummary(result.results),
                    result.kafkaCommand,
                    <ElectionResultTable results={result.results} partitions={targets} />,
                    result.results.some((row) => row.outcome === 'failed'),
                  ),
              },
            )
          }
        />
      )}
    </section>
  );
}
