import { useId, useState, type FormEvent } from 'react';
import { LabStartSchema, type FaultKind, type LabPresetInfo, type LabPresets, type PresetName, type Scenario } from '../../../src/api/schemas/lab';
import { useStartLab } from '../api/labHooks';
import { FAULT_LABELS } from '../labText';

type Acks = Scenario['producer']['acks'];
type Commit = Scenario['consumer']['commit'];
type Isolation = Scenario['consumer']['isolation'];

/** The adjustable settings as the form holds them (numbers as typed, so a half-typed value is not lost). */
interface Draft {
  records: string;
  partitions: string;
  replicationFactor: string;
  minInsyncReplicas: string;
  acks: Acks;
  retries: string;
  idempotent: boolean;
  transactional: boolean;
  commit: Commit;
  isolation: Isolation;
}

const COMMIT_LABELS: Record<Commit, string> = {
  auto: 'Auto-commit (every 200 ms)',
  'before-processing': 'Before processing each batch',
  'after-processing': 'After processing each batch',
  transactional: 'In a transaction with the output (consume-transform-produce)',
};

function draftOf(scenario: Scenario, records: string): Draft {
  const { workload, producer, consumer } = scenario;
  return {
    records,
    partitions: String(workload.partitions),
    replicationFactor: String(workload.replicationFactor),
    minInsyncReplicas: String(workload.minInsyncReplicas),
    acks: producer.acks,
    retries: String(producer.retries),
    idempotent: producer.idempotent,
    transactional: producer.transactional,
    commit: consumer.commit,
    isolation: consumer.isolation,
  };
}

/** The start input: the preset and fault, the records, and only the settings that differ from the preset. */
function startInput(preset: LabPresetInfo, fault: FaultKind, draft: Draft): Record<string, unknown> {
  const base = draftOf(preset.scenario, draft.records);
  const input: Record<string, unknown> = { preset: preset.name, fault, records: Number(draft.records) };
  const numeric = ['partitions', 'replicationFactor', 'minInsyncReplicas', 'retries'] as const;
  for (const key of numeric) if (draft[key].trim() !== base[key]) input[key] = Number(draft[key]);
  for (const key of ['acks', 'idempotent', 'transactional', 'commit', 'isolation'] as const) if (draft[key] !== base[key]) input[key] = draft[key];
  return input;
}

/**
 * Choose a preset and a fault, optionally adjust the settings, and start a run. The fault
 * list says what Kafka predicts for the chosen preset, so the run is an experiment with an
 * expected outcome. Validated with the contract's schema; the back end checks the
 * combination (e.g. idempotence needs acks=all) and its message is shown as is.
 */
export function LabSetupForm({ presets, busy }: { presets: LabPresets; busy: boolean }) {
  const ids = useId();
  const [presetName, setPresetName] = useState<PresetName>('at-least-once');
  const preset = presets.presets.find((candidate) => candidate.name === presetName) ?? presets.presets[0]!;
  const [fault, setFault] = useState<FaultKind>('kill-leader');
  const [draft, setDraft] = useState<Draft>(() => draftOf(preset.scenario, String(preset.scenario.workload.records)));
  const [problem, setProblem] = useState<string | null>(null);
  const start = useStartLab();

  const choosePreset = (name: PresetName) => {
    const next = presets.presets.find((candidate) => candidate.name === name);
    if (next === undefined) return;
    setPresetName(name);
    // A preset is a set of settings: choosing one replaces the adjusted ones, the workload size stays.
    setDraft(draftOf(next.scenario, draft.records));
  };
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = LabStartSchema.safeParse(startInput(preset, fault, draft));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      setProblem(`${String(issue.path[0] ?? 'settings')}: ${issue.message}`);
      return;
    }
    setProblem(null);
    start.mutate(parsed.data);
  };

  const prediction = preset.faults[fault];
  const numberField = (key: 'records' | 'partitions' | 'replicationFactor' | 'minInsyncReplicas' | 'retries', label: string, min: number) => (
    <div className="field">
      <label htmlFor={`${ids}-${key}`}>{label}</label>
      <input id={`${ids}-${key}`} type="number" min={min} value={draft[key]} onChange={(event) => set(key, event.target.value)} disabled={busy} />
    </div>
  );

  return (
    <form className="panel lab-setup" onSubmit={submit} noValidate aria-labelledby={`${ids}-title`}>
      <div className="panel-header">
        <h2 id={`${ids}-title`} className="panel-title">
          Set up a run
        </h2>
        <span className="heading-note muted">on the embedded cluster</span>
      </div>
      <div className="form">
        <fieldset className="lab-presets" disabled={busy}>
          <legend className="field-label">Preset</legend>
          {presets.presets.map((candidate) => (
            <label key={candidate.name} className="lab-preset">
              <input type="radio" name={`${ids}-preset`} value={candidate.name} checked={candidate.name === presetName} onChange={() => choosePreset(candidate.name)} />
              <span className="lab-preset-text">
                <span className="lab-preset-name">{candidate.name}</span>
                <span className="lab-preset-summary">{candidate.summary}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={`${ids}-fault`}>Fault</label>
          <select id={`${ids}-fault`} value={fault} onChange={(event) => setFault(event.target.value as FaultKind)} disabled={busy} aria-describedby={`${ids}-prediction`}>
            {presets.faults.map((kind) => (
              <option key={kind} value={kind}>
                {FAULT_LABELS[kind]}
                {preset.faults[kind]?.breaks ? ' (breaks this preset)' : ''}
              </option>
            ))}
          </select>
          <p id={`${ids}-prediction`} className="field-hint">
            {prediction === undefined ? `Not one of ${preset.name}'s textbook faults: the run shows what happens anyway.` : `Kafka predicts: ${prediction.predicts}.`}
          </p>
        </div>
        <details className="lab-settings">
          <summary>Adjust settings</summary>
          <div className="lab-settings-body">
            <div className="field-row three">
              {numberField('records', 'Records', 10)}
              {numberField('partitions', 'Partitions', 1)}
              {numberField('replicationFactor', 'Replication factor', 1)}
            </div>
            <div className="field-row three">
              {numberField('minInsyncReplicas', 'min.insync.replicas', 1)}
              <div className="field">
                <label htmlFor={`${ids}-acks`}>Producer acks</label>
                <select id={`${ids}-acks`} value={String(draft.acks)} onChange={(event) => set('acks', Number(event.target.value) as Acks)} disabled={busy}>
                  <option value="0">0 (no answer awaited)</option>
                  <option value="1">1 (the leader wrote it)</option>
                  <option value="-1">all (the ISR has it)</option>
                </select>
              </div>
              {numberField('retries', 'Producer retries', 0)}
            </div>
            <div className="row-actions start">
              <label className="checkbox">
                <input type="checkbox" checked={draft.idempotent} onChange={(event) => set('idempotent', event.target.checked)} disabled={busy} />
                Idempotent producer
              </label>
              <label className="checkbox">
                <input type="checkbox" checked={draft.transactional} onChange={(event) => set('transactional', event.target.checked)} disabled={busy} />
                Transactional producer
              </label>
            </div>
            <div className="field-row">
              <div className="field">
                <label htmlFor={`${ids}-commit`}>Consumer commits offsets</label>
                <select id={`${ids}-commit`} value={draft.commit} onChange={(event) => set('commit', event.target.value as Commit)} disabled={busy}>
                  {(Object.keys(COMMIT_LABELS) as Commit[]).map((mode) => (
                    <option key={mode} value={mode}>
                      {COMMIT_LABELS[mode]}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${ids}-isolation`}>Consumer isolation</label>
                <select id={`${ids}-isolation`} value={draft.isolation} onChange={(event) => set('isolation', event.target.value as Isolation)} disabled={busy}>
                  <option value="read_uncommitted">read_uncommitted</option>
                  <option value="read_committed">read_committed</option>
                </select>
              </div>
            </div>
          </div>
        </details>
        {problem !== null || start.isError ? (
          <p className="form-error" role="alert">
            {problem ?? start.error?.message}
          </p>
        ) : null}
        <div className="row-actions">
          {busy ? <span className="muted">A run is under way; one at a time.</span> : null}
          <button type="submit" className="button button-primary" disabled={busy || start.isPending}>
            {start.isPending ? 'Starting…' : 'Run'}
          </button>
        </div>
      </div>
    </form>
  );
}
