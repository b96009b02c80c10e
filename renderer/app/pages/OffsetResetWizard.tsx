import { useId, useMemo, useState, type ReactNode } from 'react';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import type { GroupDetail } from '../../../src/api/schemas/groups';
import type { ResetOffsetsResult, ResetPlanRow, ResetScopeInput } from '../../../src/api/schemas/offsetReset';
import { useTopics } from '../api/clusterHooks';
import { useResetOffsets } from '../api/operationHooks';
import { CommandBlock } from '../components/CommandBlock';
import { TypedConfirm } from '../components/TypedConfirm';
import { WizardPanel } from '../components/WizardPanel';
import { toggled } from '../selection';
import { downloadText } from '../download';
import { formatCount, plural } from '../format';
import { modeInput, RESET_MODES, type ResetModeFields } from '../resetModeForm';

/**
 * kafka-consumer-groups.sh --reset-offsets as a wizard: scope and mode, a per-partition
 * preview (dry run), a typed confirmation, the result, and an undo that resets to the offsets
 * recorded before. The coordinator refuses a reset while the group has members; the preview
 * says so, and which members, before the user gets that far.
 */
const STEPS = ['Scope and mode', 'Preview', 'Result'] as const;
const INACTIVE_STATES = new Set(['Empty', 'Dead']);

type ScopeKind = 'all-topics' | 'topic' | 'partitions';

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export function OffsetResetWizard({ cluster, group, onClose }: { cluster: ClusterEntry; group: GroupDetail; onClose: () => void }) {
  const ids = useId();
  const groupTopics = useMemo(() => [...new Set(group.partitions.map((row) => row.topic))].sort(), [group.partitions]);
  const topics = useTopics(cluster.id);
  const topicChoices = useMemo(
    () => [...new Set([...groupTopics, ...(topics.data?.topics ?? []).filter((topic) => !topic.internal).map((topic) => topic.name)])].sort(),
    [groupTopics, topics.data],
  );
  const [scopeKind, setScopeKind] = useState<ScopeKind>(groupTopics.length > 0 ? 'all-topics' : 'topic');
  const [topic, setTopic] = useState(groupTopics[0] ?? '');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [fields, setFields] = useState<ResetModeFields>({ mode: 'to-earliest', offset: '0', shift: '-1', datetime: '', duration: 'PT1H', csv: '', fileName: 'reset-offsets.csv' });
  const [formError, setFormError] = useState<string | null>(null);
  const [step, setStep] = useState(0);
  const [confirming, setConfirming] = useState<'execute' | 'undo' | null>(null);
  const preview = useResetOffsets();
  const execute = useResetOffsets();
  const undo = useResetOffsets();

  const scope = (): ResetScopeInput | string => {
    switch (scopeKind) {
      case 'all-topics':
        return { kind: 'all-topics' };
      case 'topic':
        return topic === '' ? 'Choose a topic' : { kind: 'topics', topics: [{ topic }] };
      case 'partitions': {
        const byTopic = new Map<string, number[]>();
        for (const row of group.partitions) if (chosen.has(partitionKey(row.topic, row.partition))) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row.partition]);
        if (byTopic.size === 0) return 'Choose at least one partition';
        return { kind: 'topics', topics: [...byTopic].map(([name, partitions]) => ({ topic: name, partitions })) };
      }
    }
  };

  const request = () => {
    const mode = modeInput(fields);
    const chosenScope = fields.mode === 'from-file' ? ({ kind: 'all-topics' } as const) : scope();
    if (!mode.ok) return mode.error;
    if (typeof chosenScope === 'string') return chosenScope;
    return { clusterId: cluster.id, group: group.group, mode: mode.mode, scope: chosenScope };
  };

  const runPreview = () => {
    const input = request();
    if (typeof input === 'string') return setFormError(input);
    setFormError(null);
    preview.mutate({ ...input, execute: false }, { onSuccess: () => setStep(1) });
  };

  const plan = preview.data;
  const active = plan !== undefined && !INACTIVE_STATES.has(plan.state);

  return (
    <WizardPanel title={<>Reset offsets of <span className="mono">{group.group}</span></>} steps={STEPS} current={step} onClose={onClose}>
      {step === 0 ? (
        <form
          className="wizard-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            runPreview();
          }}
        >
          <fieldset className="choice-group" disabled={fields.mode === 'from-file'}>
            <legend>Scope{fields.mode === 'from-file' ? ' (set by the file\u2019s lines)' : ''}</legend>
            <label className="checkbox">
              <input type="radio" name={`${ids}-scope`} checked={scopeKind === 'all-topics'} onChange={() => setScopeKind('all-topics')} disabled={groupTopics.length === 0} />
              All topics of the group {groupTopics.length > 0 ? <span className="muted">({groupTopics.join(', ')})</span> : <span className="muted">(it has no committed offsets)</span>}
            </label>
            <label className="checkbox">
              <input type="radio" name={`${ids}-scope`} checked={scopeKind === 'topic'} onChange={() => setScopeKind('topic')} />
              One topic
            </label>
            {scopeKind === 'topic' ? (
              <div className="field indent">
                <label htmlFor={`${ids}-topic`}>Topic</label>
                <select id={`${ids}-topic`} value={topic} onChange={(event) => setTopic(event.target.value)}>
                  {topic === '' ? <option value="">Choose a topic</option> : null}
                  {topicChoices.map((name) => (
                    <option key={name} value={name}>
                      {name}
                      {groupTopics.includes(name) ? '' : ' (no offsets yet)'}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <label className="checkbox">
              <input type="radio" name={`${ids}-scope`} checked={scopeKind === 'partitions'} onChange={() => setScopeKind('partitions')} disabled={group.partitions.length === 0} />
              Chosen partitions
            </label>
            {scopeKind === 'partitions' ? (
              <div className="partition-picks indent" role="group" aria-label="Partitions to reset">
                {group.partitions.map((row) => {
                  const key = partitionKey(row.topic, row.partition);
                  return (
                    <label key={key} className="checkbox">
                      <input
                        type="checkbox"
                        checked={chosen.has(key)}
                        onChange={(event) => setChosen(toggled(chosen, key, event.target.checked))}
                      />
                      <span className="mono">
                        {row.topic}-{row.partition}
                      </span>
                    </label>
                  );
                })}
              </div>
            ) : null}
          </fieldset>
          <div className="field">
            <label htmlFor={`${ids}-mode`}>Reset to</label>
            <select id={`${ids}-mode`} value={fields.mode} onChange={(event) => setFields({ ...fields, mode: event.target.value as ResetModeFields['mode'] })}>
              {RESET_MODES.map((entry) => (
                <option key={entry.mode} value={entry.mode}>
                  {entry.label} (--{entry.mode})
                </option>
              ))}
            </select>
            <p className="field-hint">{RESET_MODES.find((entry) => entry.mode === fields.mode)?.hint}</p>
          </div>
          <ModeFields fields={fields} onChange={setFields} idPrefix={ids} />
          {formError === null ? null : (
            <p className="form-error" role="alert">
              {formError}
            </p>
          )}
          {preview.isError ? (
            <p className="form-error" role="alert">
              {preview.error.message}
            </p>
          ) : null}
          <div className="row-actions start">
            <button type="submit" className="button button-primary" disabled={preview.isPending}>
              {preview.isPending ? 'Planning…' : 'Preview'}
            </button>
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      {step === 1 && plan !== undefined ? (
        <>
          <PlanTable rows={plan.plan} label="Reset preview" after={false} />
          {active ? (
            <div className="inline-error-panel" role="alert">
              <p className="inline-error-title">
                The group is {plan.state} with {plural(plan.members.length, 'active member')}: it cannot be reset now
              </p>
              <p>
                Kafka accepts new offsets only for a group without members (Empty). Stop{' '}
                {plan.members.map((member) => `${member.clientId || '?'} (${member.memberId} on ${member.host})`).join(', ') || 'its consumers'}, then refresh the preview.
              </p>
            </div>
          ) : null}
          <CommandBlock command={plan.kafkaCommand.replace(/--dry-run$/, '--execute')} />
          <div className="row-actions start">
            <button type="button" className="button" onClick={() => setStep(0)}>
              Back
            </button>
            <button type="button" className="button" onClick={runPreview} disabled={preview.isPending}>
              {preview.isPending ? 'Refreshing…' : 'Refresh preview'}
            </button>
            <button type="button" className="button" onClick={() => downloadText(`${group.group}-reset-plan.csv`, plan.planCsv, 'text/csv')}>
              Export plan (CSV)
            </button>
            <span className="toolbar-spacer" />
            <button type="button" className="button button-danger" disabled={active || confirming !== null} title={active ? 'Stop the group\u2019s consumers first' : undefined} onClick={() => setConfirming('execute')}>
              Execute reset…
            </button>
          </div>
          {confirming === 'execute' ? (
            <TypedConfirm
              name={group.group}
              action="Reset offsets of"
              consequence={`The group's committed offsets of ${plural(plan.plan.length, 'partition')} change as previewed on ${cluster.name}. Its consumers start from there the next time they join. The previous offsets are kept so you can undo.`}
              pending={execute.isPending}
              error={execute.isError ? execute.error.message : null}
              onCancel={() => setConfirming(null)}
              onConfirm={(confirmation) => {
                const input = request();
                if (typeof input === 'string') return;
                execute.mutate(
                  { ...input, execute: true, confirmation },
                  {
                    onSuccess: () => {
                      setConfirming(null);
                      setStep(2);
                    },
                  },
                );
              }}
            />
          ) : null}
        </>
      ) : null}
      {step === 2 && execute.data !== undefined ? (
        <ResetResult cluster={cluster} result={execute.data} undo={undo} confirming={confirming === 'undo'} onConfirming={(on) => setConfirming(on ? 'undo' : null)} onClose={onClose} />
      ) : null}
    </WizardPanel>
  );
}

function ModeFields({ fields, onChange, idPrefix }: { fields: ResetModeFields; onChange: (fields: ResetModeFields) => void; idPrefix: string }) {
  const field = (key: keyof ResetModeFields, label: string, input: ReactNode, hint?: string) => (
    <div className="field narrow-field">
      <label htmlFor={`${idPrefix}-${key}`}>{label}</label>
      {input}
      {hint === undefined ? null : <p className="field-hint">{hint}</p>}
    </div>
  );
  switch (fields.mode) {
    case 'to-earliest':
    case 'to-latest':
    case 'to-current':
      return null;
    case 'to-offset':
      return field('offset', 'Offset', <input id={`${idPrefix}-offset`} inputMode="numeric" value={fields.offset} onChange={(event) => onChange({ ...fields, offset: event.target.value })} />, 'Clamped to each partition\u2019s log start and end.');
    case 'shift-by':
      return field('shift', 'Shift by', <input id={`${idPrefix}-shift`} inputMode="numeric" value={fields.shift} onChange={(event) => onChange({ ...fields, shift: event.target.value })} />, 'Negative moves back (re-reads), positive skips ahead.');
    case 'to-datetime':
      return field(
        'datetime',
        'Date and time',
        <input id={`${idPrefix}-datetime`} type="datetime-local" step={1} value={fields.datetime} onChange={(event) => onChange({ ...fields, datetime: event.target.value })} />,
        `In your time zone (${Intl.DateTimeFormat().resolvedOptions().timeZone}); sent with its UTC offset.`,
      );
    case 'by-duration':
      return field(
        'duration',
        'Duration back from now (ISO-8601)',
        <input id={`${idPrefix}-duration`} value={fields.duration} spellCheck={false} onChange={(event) => onChange({ ...fields, duration: event.target.value })} />,
        'For example PT30M (30 minutes), PT1H (one hour), P1D (one day), P1DT12H.',
      );
    case 'from-file':
      return (
        <div className="field">
          <label htmlFor={`${idPrefix}-csv`}>Offsets CSV (topic,partition,offset per line)</label>
          <textarea id={`${idPrefix}-csv`} rows={6} className="mono" spellCheck={false} value={fields.csv} placeholder={'orders,0,1200\norders,1,980'} onChange={(event) => onChange({ ...fields, csv: event.target.value })} />
          <div className="row-actions start">
            <label className="button file-button">
              Load a CSV file…
              <input
                type="file"
                accept=".csv,text/csv,text/plain"
                className="visually-hidden"
                onChange={(event) => {
                  const file = event.target.files?.[0];
                  if (file) void file.text().then((csv) => onChange({ ...fields, csv, fileName: file.name }));
                }}
              />
            </label>
            <span className="muted">{fields.fileName}</span>
          </div>
        </div>
      );
  }
}

function changeText(row: ResetPlanRow): ReactNode {
  if (row.messagesReread === null || row.messagesSkipped === null) return <span className="muted">no committed offset</span>;
  if (row.messagesReread > 0) return <span className="text-warn">re-read {formatCount(row.messagesReread)}</span>;
  if (row.messagesSkipped > 0) return <span className="count-bad">skip {formatCount(row.messagesSkipped)}</span>;
  return <span className="muted">unchanged</span>;
}

function PlanTable({ rows, label, after }: { rows: readonly ResetPlanRow[]; label: string; after: boolean }) {
  const reread = rows.reduce((sum, row) => sum + (row.messagesReread ?? 0), 0);
  const skipped = rows.reduce((sum, row) => sum + (row.messagesSkipped ?? 0), 0);
  return (
    <div className="stack-tight">
      <p className="muted" aria-label={`${label} summary`}>
        {plural(rows.length, 'partition')} · {formatCount(reread)} messages {after ? 're-read' : 'to re-read'} · {formatCount(skipped)} {after ? 'skipped' : 'to skip'}
      </p>
      <div className="table-wrap">
        <table className="table table-compact" aria-label={label}>
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col" className="numeric">
                Partition
              </th>
              <th scope="col" className="numeric">
                {after ? 'Before' : 'Current'}
              </th>
              <th scope="col" className="numeric">
                New
              </th>
              <th scope="col">Messages</th>
              <th scope="col" className="numeric">
                Log start
              </th>
              <th scope="col" className="numeric">
                Log end
              </th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.topic}-${row.partition}`} aria-label={`${row.topic} partition ${row.partition}`}>
                <th scope="row" className="mono name-cell">
                  {row.topic}
                </th>
                <td className="numeric">{row.partition}</td>
                <td className="numeric" aria-label="Current offset">
                  {row.currentOffset === null ? <span className="muted">none</span> : formatCount(row.currentOffset)}
                </td>
                <td className="numeric" aria-label="New offset">
                  {formatCount(row.newOffset)}
                </td>
                <td aria-label="Messages">{changeText(row)}</td>
                <td className="numeric">{formatCount(row.logStartOffset)}</td>
                <td className="numeric">{formatCount(row.logEndOffset)}</td>
                <td aria-label="Note">
                  {row.clampedTo === null ? null : (
                    <span className="status status-warn" title={`The mode asked for ${row.requestedOffset}, outside the retained log`}>
                      asked {formatCount(row.requestedOffset)}, clamped to {row.clampedTo === 'log-start' ? 'log start' : 'log end'}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ResetResult({
  cluster,
  result,
  undo,
  confirming,
  onConfirming,
  onClose,
}: {
  cluster: ClusterEntry;
  result: ResetOffsetsResult;
  undo: ReturnType<typeof useResetOffsets>;
  confirming: boolean;
  onConfirming: (on: boolean) => void;
  onClose: () => void;
}) {
  const undone = undo.data;
  return (
    <>
      <p className="notice" role="status">
        Offsets of {plural(result.plan.length, 'partition')} reset. The previous offsets are kept below for an undo.
      </p>
      <PlanTable rows={result.plan} label="Reset result" after />
      <CommandBlock command={result.kafkaCommand} />
      {undone === undefined ? (
        <>
          {result.previousCsv === '' ? (
            <p className="muted">No partition had a committed offset before, so there is nothing to go back to.</p>
          ) : (
            <div className="row-actions start">
              <button type="button" className="button" disabled={confirming} onClick={() => onConfirming(true)}>
                Undo: restore previous offsets…
              </button>
              <button type="button" className="button button-quiet" onClick={() => downloadText(`${result.group}-previous-offsets.csv`, result.previousCsv, 'text/csv')}>
                Download previous offsets (CSV)
              </button>
              <span className="toolbar-spacer" />
              <button type="button" className="button" onClick={onClose}>
                Done
              </button>
            </div>
          )}
          {confirming ? (
            <TypedConfirm
              name={result.group}
              action="Restore previous offsets of"
              consequence={`The committed offsets go back to what they were before this reset (--from-file with the recorded offsets). Partitions that had no committed offset before keep their new one.`}
              pending={undo.isPending}
              error={undo.isError ? undo.error.message : null}
              onCancel={() => onConfirming(false)}
              onConfirm={(confirmation) =>
                undo.mutate(
                  { clusterId: cluster.id, group: result.group, mode: { mode: 'from-file', csv: result.previousCsv, fileName: 'previous-offsets.csv' }, scope: { kind: 'all-topics' }, execute: true, confirmation },
                  { onSuccess: () => onConfirming(false) },
                )
              }
            />
          ) : null}
        </>
      ) : (
        <>
          <p className="notice" role="status">
            Undone: the offsets of {plural(undone.plan.length, 'partition')} are back to where they were.
          </p>
          <PlanTable rows={undone.plan} label="Undo result" after />
          <div className="row-actions start">
            <button type="button" className="button" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      )}
    </>
  );
}
