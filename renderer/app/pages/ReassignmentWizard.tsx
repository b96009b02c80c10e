import { useId, useMemo, useState } from 'react';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import type { ReassignmentPreview, ReassignmentStrategy } from '../../../src/api/schemas/reassignments';
import { useBrokers, useTopics } from '../api/clusterHooks';
import { useElectPreferred, useExecuteReassignment, useParseReassignment, usePreviewReassignment, useProposeReassignment, useVerifyReassignment } from '../api/operationHooks';
import { CommandBlock } from '../components/CommandBlock';
import { TypedConfirm } from '../components/TypedConfirm';
import { WizardPanel } from '../components/WizardPanel';
import { downloadText } from '../download';
import { formatBytes, formatCount, plural } from '../format';
import { toggled } from '../selection';
import { draftFrom, planOf, type DraftRow, type PlanPartition } from '../reassignmentDraft';

/**
 * A new reassignment, as kafka-reassign-partitions.sh does it but with the plan in view: pick
 * what to move (partitions onto brokers, drain a broker, change a replication factor, or
 * import Kafka's JSON), edit the proposed replicas, preview the data each broker has to copy,
 * execute with an optional throttle, then verify and offer a preferred-leader election.
 */
const STEPS = ['Plan', 'Review and preview', 'Progress'] as const;

type Strategy = 'move' | 'drain' | 'replication-factor' | 'import';

const STRATEGIES: readonly { id: Strategy; label: string }[] = [
  { id: 'move', label: 'Move partitions onto brokers' },
  { id: 'drain', label: 'Drain a broker' },
  { id: 'replication-factor', label: 'Change replication factor' },
  { id: 'import', label: 'Import reassignment JSON' },
];

interface StartedReassignment {
  partitions: PlanPartition[];
  rollbackJson: string;
  kafkaCommand: string;
}

function parsePartitionList(text: string): number[] | null | 'invalid' {
  if (text.trim() === '') return null;
  const parts = text.split(/[\s,]+/).filter((part) => part !== '');
  return parts.every((part) => /^\d+$/.test(part)) ? [...new Set(parts.map(Number))] : 'invalid';
}

export function ReassignmentWizard({ cluster, onClose }: { cluster: ClusterEntry; onClose: () => void }) {
  const ids = useId();
  const topics = useTopics(cluster.id);
  const brokers = useBrokers(cluster.id);
  const topicNames = useMemo(() => (topics.data?.topics ?? []).filter((topic) => !topic.internal).map((topic) => topic.name), [topics.data]);
  const liveBrokers = useMemo(() => (brokers.data ?? []).filter((broker) => broker.status === 'up').map((broker) => broker.id), [brokers.data]);
  const [step, setStep] = useState(0);
  const [strategy, setStrategy] = useState<Strategy>('move');
  const [chosenTopics, setChosenTopics] = useState<ReadonlySet<string>>(new Set());
  const [partitionsText, setPartitionsText] = useState('');
  const [targets, setTargets] = useState<ReadonlySet<number>>(new Set());
  const [drain, setDrain] = useState('');
  const [factor, setFactor] = useState('2');
  const [json, setJson] = useState('');
  const [jsonSource, setJsonSource] = useState('the pasted JSON');
  const [formError, setFormError] = useState<string | null>(null);
  const [draft, setDraft] = useState<DraftRow[]>([]);
  const [previewed, setPreviewed] = useState<ReassignmentPreview | null>(null);
  const [throttle, setThrottle] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [started, setStarted] = useState<StartedReassignment | null>(null);
  const propose = useProposeReassignment();
  const parse = useParseReassignment();
  const preview = usePreviewReassignment();
  const execute = useExecuteReassignment();

  const runPreview = (rows: DraftRow[]) => {
    const plan = planOf(rows);
    if (!plan.ok) return;
    preview.mutate({ clusterId: cluster.id, partitions: plan.partitions }, { onSuccess: (result) => setPreviewed(result) });
  };

  const toReview = (rows: DraftRow[]) => {
    if (rows.length === 0) return setFormError('Nothing would change: every chosen partition already has those replicas.');
    setFormError(null);
    setDraft(rows);
    setPreviewed(null);
    setStep(1);
    runPreview(rows);
  };

  const strategyInput = (): ReassignmentStrategy | string => {
    switch (strategy) {
      case 'move': {
        if (chosenTopics.size === 0) return 'Choose at least one topic';
        if (targets.size === 0) return 'Choose at least one target broker';
        const partitions = parsePartitionList(partitionsText);
        if (partitions === 'invalid') return 'Partitions are numbers separated by commas, e.g. 0,2';
        if (partitions !== null && chosenTopics.size !== 1) return 'Name partitions only with a single topic chosen';
        return { kind: 'move', topics: [...chosenTopics].map((topic) => ({ topic, ...(partitions === null ? {} : { partitions }) })), brokers: [...targets].sort((a, b) => a - b) };
      }
      case 'drain':
        return drain === '' ? 'Choose the broker to drain' : { kind: 'drain', broker: Number(drain) };
      case 'replication-factor':
        if (chosenTopics.size === 0) return 'Choose at least one topic';
        if (!/^[1-9]\d*$/.test(factor.trim())) return 'The replication factor is a whole number of at least 1';
        return { kind: 'replication-factor', topics: [...chosenTopics], replicationFactor: Number(factor) };
      case 'import':
        return 'import';
    }
  };

  const submitPlan = () => {
    const input = strategyInput();
    if (input === 'import') {
      if (json.trim() === '') return setFormError('Paste or load a reassignment JSON file');
      setFormError(null);
      parse.mutate(
        { json, source: jsonSource },
        {
          onSuccess: (partitions) => {
            toReview(partitions.map((entry) => ({ topic: entry.topic, partition: entry.partition, current: [], text: entry.replicas.join(', ') })));
          },
        },
      );
      return;
    }
    if (typeof input === 'string') return setFormError(input);
    setFormError(null);
    propose.mutate({ clusterId: cluster.id, strategy: input }, { onSuccess: (result) => toReview(draftFrom(result.current, result.proposed)) });
  };

  const plan = planOf(draft);
  const throttleValue = throttle.trim() === '' ? undefined : Number(throttle.trim());
  const throttleError = throttleValue !== undefined && !(Number.isInteger(throttleValue) && throttleValue > 0) ? 'The throttle is a whole number of bytes per second above 0' : null;
  const requestError = propose.isError ? propose.error.message : parse.isError ? parse.error.message : null;

  return (
    <WizardPanel title={'New reassignment'} steps={STEPS} current={step} onClose={onClose}>
      {step === 0 ? (
        <form
          className="wizard-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submitPlan();
          }}
        >
          <fieldset className="choice-group">
            <legend>What to do</legend>
            <div className="choice-row">
              {STRATEGIES.map((entry) => (
                <label key={entry.id} className="checkbox">
                  <input type="radio" name={`${ids}-strategy`} checked={strategy === entry.id} onChange={() => setStrategy(entry.id)} />
                  {entry.label}
                </label>
              ))}
            </div>
          </fieldset>
          {strategy === 'move' || strategy === 'replication-factor' ? (
            <fieldset className="choice-group">
              <legend>Topics</legend>
              {topicNames.length === 0 ? (
                <p className="muted">{topics.isPending ? 'Reading topics…' : 'The cluster has no topics.'}</p>
              ) : (
                <div className="topic-picks" role="group" aria-label="Topics to reassign">
                  {topicNames.map((name) => (
                    <label key={name} className="checkbox">
                      <input
                        type="checkbox"
                        checked={chosenTopics.has(name)}
                        onChange={(event) => setChosenTopics(toggled(chosenTopics, name, event.target.checked))}
                      />
                      <span className="mono">{name}</span>
                    </label>
                  ))}
                </div>
              )}
            </fieldset>
          ) : null}
          {strategy === 'move' ? (
            <>
              <div className="field narrow-field">
                <label htmlFor={`${ids}-partitions`}>Partitions (optional)</label>
                <input id={`${ids}-partitions`} value={partitionsText} placeholder="All" onChange={(event) => setPartitionsText(event.target.value)} />
                <p className="field-hint">With one topic chosen: only these partitions, e.g. 0,2.</p>
              </div>
              <fieldset className="choice-group">
                <legend>Target brokers</legend>
                <div className="broker-picks" role="group" aria-label="Target brokers">
                  {liveBrokers.map((id) => (
                    <label key={id} className="checkbox">
                      <input
                        type="checkbox"
                        checked={targets.has(id)}
                        onChange={(event) => setTargets(toggled(targets, id, event.target.checked))}
                      />
                      Broker {id}
                    </label>
                  ))}
                </div>
                <p className="field-hint">Replicas are spread evenly over these brokers, moving as few as possible.</p>
              </fieldset>
            </>
          ) : null}
          {strategy === 'drain' ? (
            <div className="field narrow-field">
              <label htmlFor={`${ids}-drain`}>Broker to drain</label>
              <select id={`${ids}-drain`} value={drain} onChange={(event) => setDrain(event.target.value)}>
                <option value="">Choose a broker</option>
                {(brokers.data ?? []).map((broker) => (
                  <option key={broker.id} value={broker.id}>
                    Broker {broker.id} ({plural(broker.replicas, 'replica')}
                    {broker.status === 'down' ? ', down' : ''})
                  </option>
                ))}
              </select>
              <p className="field-hint">Every replica on it moves to another broker; nothing else moves.</p>
            </div>
          ) : null}
          {strategy === 'replication-factor' ? (
            <div className="field narrow-field">
              <label htmlFor={`${ids}-factor`}>New replication factor</label>
              <input id={`${ids}-factor`} inputMode="numeric" value={factor} onChange={(event) => setFactor(event.target.value)} />
              <p className="field-hint">Replicas are added at the end (leaders stay) or removed (never the preferred leader).</p>
            </div>
          ) : null}
          {strategy === 'import' ? (
            <div className="field">
              <label htmlFor={`${ids}-json`}>Reassignment JSON (kafka-reassign-partitions.sh)</label>
              <textarea
                id={`${ids}-json`}
                rows={6}
                className="mono"
                spellCheck={false}
                value={json}
                placeholder={'{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2]}]}'}
                onChange={(event) => {
                  setJson(event.target.value);
                  setJsonSource('the pasted JSON');
                }}
              />
              <div className="row-actions start">
                <label className="button file-button">
                  Load a JSON file…
                  <input
                    type="file"
                    accept=".json,application/json,text/plain"
                    className="visually-hidden"
                    aria-label="Reassignment JSON file"
                    onChange={(event) => {
                      const file = event.target.files?.[0];
                      if (file) {
                        void file.text().then((text) => {
                          setJson(text);
                          setJsonSource(`file ${file.name}`);
                        });
                      }
                    }}
                  />
                </label>
                <span className="muted">{jsonSource}</span>
              </div>
            </div>
          ) : null}
          {formError === null && requestError === null ? null : (
            <p className="form-error" role="alert">
              {formError ?? requestError}
            </p>
          )}
          <div className="row-actions start">
            <button type="submit" className="button button-primary" disabled={propose.isPending || parse.isPending}>
              {propose.isPending || parse.isPending ? 'Planning…' : strategy === 'import' ? 'Read plan' : 'Propose plan'}
            </button>
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      {step === 1 ? (
        <>
          <PlanEditor
            rows={draft}
            preview={previewed}
            errors={plan.ok ? new Map() : plan.errors}
            onChange={(rows) => {
              setDraft(rows);
              setPreviewed(null);
            }}
          />
          {preview.isError ? (
            <p className="form-error" role="alert">
              {preview.error.message}
            </p>
          ) : null}
          {previewed === null ? (
            <div className="row-actions start">
              <button type="button" className="button button-primary" disabled={!plan.ok || preview.isPending} onClick={() => runPreview(draft)}>
                {preview.isPending ? 'Previewing…' : 'Update preview'}
              </button>
              <button type="button" className="button" onClick={() => setStep(0)}>
                Back
              </button>
            </div>
          ) : (
            <>
              <PreviewSummary preview={previewed} />
              <div className="field narrow-field">
                <label htmlFor={`${ids}-throttle`}>Replication throttle (bytes/s, optional)</label>
                <input id={`${ids}-throttle`} inputMode="numeric" value={throttle} placeholder="No throttle" aria-invalid={throttleError === null ? undefined : true} onChange={(event) => setThrottle(event.target.value)} />
                <p className={throttleError === null ? 'field-hint' : 'field-error'}>{throttleError ?? 'Caps how fast moving replicas copy, so clients keep their bandwidth; removed when the move completes.'}</p>
              </div>
              <CommandBlock command={previewed.kafkaCommand + (throttleValue !== undefined && throttleError === null ? ` --throttle ${throttleValue}` : '')} />
              <div className="row-actions start">
                <button type="button" className="button" onClick={() => setStep(0)}>
                  Back
                </button>
                <button type="button" className="button" onClick={() => downloadText('reassignment.json', previewed.planJson, 'application/json')}>
                  Export plan (JSON)
                </button>
                <button type="button" className="button" onClick={() => downloadText('rollback.json', previewed.rollbackJson, 'application/json')}>
                  Download rollback JSON
                </button>
                <span className="toolbar-spacer" />
                <button type="button" className="button button-danger" disabled={confirming || throttleError !== null || previewed.rows.every((row) => row.current.join(',') === row.proposed.join(','))} onClick={() => setConfirming(true)}>
                  Execute…
                </button>
              </div>
              {confirming && plan.ok ? (
                <TypedConfirm
                  name={previewed.confirmation}
                  action="Start reassigning"
                  consequence={`${plural(previewed.rows.length, 'partition')} get new replicas on ${cluster.name}; ${plural(previewed.replicasToMove, 'replica')} (${formatBytes(previewed.bytesToMove)}) are copied between brokers. Keep the rollback JSON to undo it.`}
                  pending={execute.isPending}
                  error={execute.isError ? execute.error.message : null}
                  onCancel={() => setConfirming(false)}
                  onConfirm={(confirmation) =>
                    execute.mutate(
                      { clusterId: cluster.id, partitions: plan.partitions, confirmation, ...(throttleValue === undefined ? {} : { throttleBytesPerSec: throttleValue }) },
                      {
                        onSuccess: (result) => {
                          setConfirming(false);
                          setStarted({ partitions: plan.partitions, ...result });
                          setStep(2);
                        },
                      },
                    )
                  }
                />
              ) : null}
            </>
          )}
        </>
      ) : null}
      {step === 2 && started !== null ? <Progress cluster={cluster} started={started} onClose={onClose} /> : null}
    </WizardPanel>
  );
}

function ReplicaIds({ ids, added = [], removed = [] }: { ids: readonly number[]; added?: readonly number[]; removed?: readonly number[] }) {
  if (ids.length === 0) return <span className="muted">—</span>;
  return (
    <span className="mono">
      {ids.map((id, index) => (
        <span key={id}>
          {index > 0 ? ', ' : ''}
          <span className={added.includes(id) ? 'replica-added' : removed.includes(id) ? 'replica-removed' : undefined}>{id}</span>
        </span>
      ))}
    </span>
  );
}

function PlanEditor({ rows, preview, errors, onChange }: { rows: DraftRow[]; preview: ReassignmentPreview | null; errors: Map<number, string>; onChange: (rows: DraftRow[]) => void }) {
  const previewOf = (row: DraftRow) => preview?.rows.find((entry) => entry.topic === row.topic && entry.partition === row.partition);
  return (
    <div className="table-wrap">
      <table className="table table-compact" aria-label="Reassignment plan">
        <thead>
          <tr>
            <th scope="col">Topic</th>
            <th scope="col" className="numeric">
              Partition
            </th>
            <th scope="col">Current replicas</th>
            <th scope="col">Proposed replicas</th>
            <th scope="col">Changes</th>
            <th scope="col" className="numeric">
              Size
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const shown = previewOf(row);
            const error = errors.get(index);
            return (
              <tr key={`${row.topic}-${row.partition}`} aria-label={`${row.topic} partition ${row.partition}`}>
                <th scope="row" className="mono name-cell">
                  {row.topic}
                </th>
                <td className="numeric">{row.partition}</td>
                <td aria-label="Current replicas">
                  <ReplicaIds ids={shown?.current ?? row.current} removed={shown?.removed ?? []} />
                </td>
                <td>
                  <input
                    className="replica-edit mono"
                    aria-label={`Proposed replicas of ${row.topic}-${row.partition}`}
                    value={row.text}
                    aria-invalid={error === undefined ? undefined : true}
                    onChange={(event) => onChange(rows.map((entry, at) => (at === index ? { ...entry, text: event.target.value } : entry)))}
                  />
                  {error === undefined ? null : <p className="field-error">{error}</p>}
                </td>
                <td aria-label="Changes">
                  {shown === undefined ? (
                    <span className="muted">—</span>
                  ) : shown.added.length === 0 && shown.removed.length === 0 ? (
                    <span className="muted">{shown.current.join(',') === shown.proposed.join(',') ? 'none' : 'order only (preferred leader)'}</span>
                  ) : (
                    <span className="badge-list">
                      {shown.added.length > 0 ? <span className="replica-added">+{shown.added.join(', +')}</span> : null}
                      {shown.removed.length > 0 ? <span className="replica-removed">−{shown.removed.join(', −')}</span> : null}
                    </span>
                  )}
                </td>
                <td className="numeric">{shown === undefined ? '—' : formatBytes(shown.bytes)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function PreviewSummary({ preview }: { preview: ReassignmentPreview }) {
  return (
    <div className="stack-tight">
      <p aria-label="Data to move">
        <strong>{plural(preview.replicasToMove, 'replica')} to copy</strong>
        {' · '}
        {preview.bytesToMove === null ? 'size unknown' : `${formatBytes(preview.bytesToMove)} to move`}
        {' · '}
        {plural(preview.rows.length, 'partition')} in the plan
      </p>
      {preview.sizesUnavailable === null ? null : <p className="muted">Some sizes are unknown: {preview.sizesUnavailable}</p>}
      <div className="table-wrap">
        <table className="table table-compact" aria-label="Brokers gaining and losing replicas">
          <thead>
            <tr>
              <th scope="col">Broker</th>
              <th scope="col" className="numeric">
                Gains
              </th>
              <th scope="col" className="numeric">
                Loses
              </th>
              <th scope="col" className="numeric">
                Data in
              </th>
            </tr>
          </thead>
          <tbody>
            {preview.brokers.map((broker) => (
              <tr key={broker.broker} aria-label={`Broker ${broker.broker}`}>
                <th scope="row">
                  Broker {broker.broker}
                  {broker.known ? null : <span className="status status-warn heading-note">not in the cluster now</span>}
                </th>
                <td className="numeric" aria-label="Gains">
                  {broker.gains > 0 ? `+${broker.gains}` : '0'}
                </td>
                <td className="numeric" aria-label="Loses">
                  {broker.loses > 0 ? `−${broker.loses}` : '0'}
                </td>
                <td className="numeric">{broker.gains === 0 ? '—' : formatBytes(broker.bytesIn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Progress({ cluster, started, onClose }: { cluster: ClusterEntry; started: StartedReassignment; onClose: () => void }) {
  const verify = useVerifyReassignment({ clusterId: cluster.id, partitions: started.partitions });
  const elect = useElectPreferred();
  const rows = verify.data?.partitions ?? [];
  const throttleRemoved = verify.data?.throttleRemoved ?? null;
  const complete = rows.length > 0 && rows.every((row) => row.status === 'complete');
  return (
    <>
      <p className="notice" role="status">
        {complete ? `Reassignment complete: ${plural(rows.length, 'partition')} have their new replicas.` : `Reassignment of ${plural(started.partitions.length, 'partition')} started. Its progress is in the list above.`}
      </p>
      {throttleRemoved === null ? null : (
        <p className="notice" role="status" aria-label="Throttle removed">
          {throttleRemoved.ratesKept
            ? 'The throttled replicas of this plan were removed; the brokers keep their throttle rates while other reassignments run.'
            : `Throttle was removed (brokers ${throttleRemoved.brokers.join(', ')}).`}
        </p>
      )}
      <CommandBlock command={started.kafkaCommand} />
      <div className="table-wrap">
        <table className="table table-compact" aria-label="Verification">
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col" className="numeric">
                Partition
              </th>
              <th scope="col">Target</th>
              <th scope="col">Current</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.topic}-${row.partition}`} aria-label={`${row.topic} partition ${row.partition}`}>
                <th scope="row" className="mono name-cell">
                  {row.topic}
                </th>
                <td className="numeric">{row.partition}</td>
                <td className="mono">{row.replicas.join(', ')}</td>
                <td className="mono" aria-label="Current replicas">
                  {row.currentReplicas.join(', ')}
                </td>
                <td aria-label="Status">
                  <span className={row.status === 'complete' ? 'status status-good' : row.status === 'in-progress' ? 'status status-warn' : 'status status-muted'}>{row.status}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {verify.isError ? (
        <p className="form-error" role="alert">
          {verify.error.message}
        </p>
      ) : null}
      {complete && elect.data === undefined ? (
        <p className="muted">The moved partitions may not be led by their first (preferred) replica yet: a preferred leader election moves leadership there.</p>
      ) : null}
      {elect.data === undefined ? null : (
        <p className="notice" role="status" aria-label="Election result">
          Preferred leader election: {elect.data.results.filter((row) => row.outcome === 'elected').length} elected, {elect.data.results.filter((row) => row.outcome === 'not-needed').length} already on their preferred leader
          {elect.data.results.some((row) => row.outcome === 'failed') ? `, ${elect.data.results.filter((row) => row.outcome === 'failed').length} failed: ${elect.data.results.find((row) => row.outcome === 'failed')?.error ?? ''}` : ''}.
        </p>
      )}
      {elect.data === undefined ? null : <CommandBlock command={elect.data.kafkaCommand} label="Equivalent election command" />}
      {elect.isError ? (
        <p className="form-error" role="alert">
          {elect.error.message}
        </p>
      ) : null}
      <div className="row-actions start">
        <button type="button" className="button" onClick={() => void verify.refetch()} disabled={verify.isFetching}>
          Verify now
        </button>
        <button type="button" className="button" onClick={() => downloadText('rollback.json', started.rollbackJson, 'application/json')}>
          Download rollback JSON
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={!complete || elect.isPending || elect.data !== undefined}
          title={complete ? undefined : 'Available once every partition is complete'}
          onClick={() => elect.mutate({ clusterId: cluster.id, partitions: started.partitions.map((entry) => ({ topic: entry.topic, partition: entry.partition })) })}
        >
          {elect.isPending ? 'Electing…' : 'Run preferred leader election'}
        </button>
        <span className="toolbar-spacer" />
        <button type="button" className="button" onClick={onClose}>
          Done
        </button>
      </div>
      <p className="muted">{formatCount(rows.filter((row) => row.status === 'complete').length)} of {formatCount(started.partitions.length)} complete.</p>
    </>
  );
}
