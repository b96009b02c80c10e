import { useDeferredValue, useId, useState, type FormEvent } from 'react';
import type { CallResult } from '../../../../src/api/contract';
import type { ClusterRef } from '../../../../src/api/schemas/clusterRef';
import type { TopicConfigRow } from '../../../../src/api/schemas/topics';
import { useAlterTopicConfigs } from '../../api/topicDataHooks';
import { CommandBlock } from '../../components/CommandBlock';
import { configSourceLabel, describeConfigValue, KNOWN_TOPIC_CONFIGS, validateConfigValue } from '../../topicConfigCatalog';

type Draft = { readonly name: string; readonly action: 'set' | 'remove'; readonly current: TopicConfigRow };

function ValueWithMeaning({ name, value }: { name: string; value: string | null }) {
  if (value === null) return <span className="muted">(hidden)</span>;
  const meaning = describeConfigValue(name, value);
  return (
    <>
      <span className="mono config-value">{value === '' ? <span className="muted">(empty)</span> : value}</span>
      {meaning === null ? null : <span className="muted"> · {meaning}</span>}
    </>
  );
}

/** The input a config's type calls for: a choice for booleans and enums, free text otherwise. */
function ValueInput({ id, name, value, onChange, invalid }: { id: string; name: string; value: string; onChange: (value: string) => void; invalid: boolean }) {
  const kind = KNOWN_TOPIC_CONFIGS.get(name)?.kind;
  const choices = kind?.type === 'boolean' ? ['true', 'false'] : kind?.type === 'enum' ? kind.values : null;
  if (choices !== null) {
    return (
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {choices.includes(value) ? null : <option value={value}>{value}</option>}
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    );
  }
  return <input id={id} className="mono" value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={invalid || undefined} aria-describedby={invalid ? `${id}-error` : undefined} autoComplete="off" spellCheck={false} autoFocus />;
}

/**
 * Changing one config: the value is checked here when its type is known, then by the broker
 * (validateOnly) for the preview, which shows the change and its kafka-configs.sh command;
 * only "Apply" changes the topic, and that is audited.
 */
function ConfigEditor({ clusterId, topic, draft, onClose, onApplied }: { clusterId: ClusterRef; topic: string; draft: Draft; onClose: () => void; onApplied: (result: CallResult<'topics.alterConfigs'>, summary: string) => void }) {
  const ids = useId();
  const [value, setValue] = useState(draft.current.value ?? '');
  const [reviewed, setReviewed] = useState<{ value: string; command: string } | null>(null);
  const check = useAlterTopicConfigs();
  const apply = useAlterTopicConfigs();
  const localProblem = draft.action === 'set' ? validateConfigValue(draft.name, value) : null;
  const change = draft.action === 'set' ? { set: { [draft.name]: value.trim() }, remove: [] } : { set: {}, remove: [draft.name] };
  const was = draft.current.sensitive ? '(hidden)' : (draft.current.value ?? '(not set)');
  const summary = draft.action === 'set' ? `${draft.name}: ${was} → ${value.trim()}` : `${draft.name}: remove the override ${draft.current.value ?? ''}, back to the broker or built-in default`;

  const review = (event: FormEvent) => {
    event.preventDefault();
    if (localProblem !== null) return;
    check.mutate({ clusterId, topic, ...change, validateOnly: true }, { onSuccess: (result) => setReviewed({ value, command: result.kafkaCommand }) });
  };
  const current = reviewed !== null && reviewed.value === value;

  return (
    <form className="form config-editor" onSubmit={review} noValidate aria-label={`Change ${draft.name}`}>
      <h3 className="panel-title">
        {draft.action === 'set' ? 'Change' : 'Reset'} <span className="mono">{draft.name}</span>
      </h3>
      {KNOWN_TOPIC_CONFIGS.get(draft.name) ? <p className="muted">{KNOWN_TOPIC_CONFIGS.get(draft.name)!.hint}</p> : null}
      {draft.action === 'set' ? (
        <div className="field">
          <label htmlFor={`${ids}-value`}>New value</label>
          <ValueInput
            id={`${ids}-value`}
            name={draft.name}
            value={value}
            onChange={(next) => {
              setValue(next);
              check.reset();
            }}
            invalid={localProblem !== null}
          />
          {localProblem === null ? (
            <p className="field-hint muted">{describeConfigValue(draft.name, value.trim()) ?? ' '}</p>
          ) : (
            <p id={`${ids}-value-error`} className="field-error">
              {localProblem}
            </p>
          )}
        </div>
      ) : null}
      {check.isError ? (
        <p className="form-error" role="alert" aria-label="Broker refused the change">
          {check.error.message}
        </p>
      ) : null}
      {current ? (
        <div className="change-preview" aria-label="Change preview">
          <p>
            <strong>Preview</strong> (checked by the broker, not applied yet): <span className="mono">{summary}</span>
          </p>
          <CommandBlock command={reviewed.command} />
        </div>
      ) : null}
      {apply.isError ? (
        <p className="form-error" role="alert">
          {apply.error.message}
        </p>
      ) : null}
      <div className="row-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        {current ? (
          <button
            type="button"
            className="button button-primary"
            disabled={apply.isPending}
            onClick={() => apply.mutate({ clusterId, topic, ...change, validateOnly: false }, { onSuccess: (result) => onApplied(result, summary) })}
          >
            {apply.isPending ? 'Applying…' : 'Apply change'}
          </button>
        ) : (
          <button type="submit" className="button button-primary" disabled={check.isPending || localProblem !== null}>
            {check.isPending ? 'Checking…' : 'Review change'}
          </button>
        )}
      </div>
    </form>
  );
}

/**
 * Every config of the topic with its value, where it comes from and what it means; overrides
 * can be changed or reset to the default, others overridden.
 */
export function ConfigsTab({ clusterId, topic, configs }: { clusterId: ClusterRef; topic: string; configs: readonly TopicConfigRow[] }) {
  const ids = useId();
  const [filter, setFilter] = useState('');
  const [overridesOnly, setOverridesOnly] = useState(false);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [done, setDone] = useState<{ summary: string; command: string } | null>(null);
  const [otherName, setOtherName] = useState<string | null>(null);
  const edit = (next: Draft) => {
    setDone(null);
    setDraft(next);
  };
  const query = useDeferredValue(filter.trim().toLowerCase());
  const rows = configs.filter((config) => (!overridesOnly || config.source === 'DYNAMIC_TOPIC_CONFIG') && (query === '' || config.name.includes(query)));
  const overrides = configs.filter((config) => config.source === 'DYNAMIC_TOPIC_CONFIG').length;

  return (
    <section className="panel" aria-labelledby={`${ids}-title`}>
      <div className="panel-header">
        <h2 id={`${ids}-title`} className="panel-title">
          Configs
          <span className="muted heading-note">
            {configs.length} · {overrides} overridden
          </span>
        </h2>
      </div>
      {done === null ? null : (
        <div className="notice" role="status" aria-label="Config changed">
          <span>
            Changed <span className="mono">{done.summary}</span>.
          </span>
          <CommandBlock command={done.command} />
          <button type="button" className="button button-quiet" onClick={() => setDone(null)}>
            Dismiss
          </button>
        </div>
      )}
      {draft === null ? null : (
        <div className="panel-body">
          <ConfigEditor
            key={`${draft.name}-${draft.action}`}
            clusterId={clusterId}
            topic={topic}
            draft={draft}
            onClose={() => setDraft(null)}
            onApplied={(result, summary) => {
              setDraft(null);
              setDone({ summary, command: result.kafkaCommand });
            }}
          />
        </div>
      )}
      <div className="toolbar">
        <input type="search" className="search" placeholder="Filter configs" aria-label="Filter configs" value={filter} onChange={(event) => setFilter(event.target.value)} />
        <label className="checkbox">
          <input type="checkbox" checked={overridesOnly} onChange={(event) => setOverridesOnly(event.target.checked)} /> Overrides only
        </label>
        <span className="toolbar-spacer" />
        {otherName === null ? (
          <button type="button" className="button button-quiet" onClick={() => setOtherName('')}>
            Override another config…
          </button>
        ) : (
          <form
            className="inline-form"
            aria-label="Override a config not listed"
            onSubmit={(event) => {
              event.preventDefault();
              const name = otherName.trim();
              if (name === '') return;
              const listed = configs.find((config) => config.name === name);
              edit({ name, action: 'set', current: listed ?? { name, value: null, source: 'UNKNOWN', readOnly: false, sensitive: false } });
              setOtherName(null);
            }}
          >
            <label htmlFor={`${ids}-other`} className="visually-hidden">
              Config name
            </label>
            <input id={`${ids}-other`} className="mono" placeholder="config.name" value={otherName} onChange={(event) => setOtherName(event.target.value)} autoFocus spellCheck={false} />
            <button type="submit" className="button">
              Edit
            </button>
            <button type="button" className="button button-quiet" onClick={() => setOtherName(null)}>
              Cancel
            </button>
          </form>
        )}
      </div>
      {rows.length === 0 ? (
        <p className="empty-inline">{overridesOnly && query === '' ? 'This topic uses the broker defaults for every config.' : 'No config matches the filter.'}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-compact configs-table" aria-label={`Configs of ${topic}`}>
            <thead>
              <tr>
                <th scope="col">Config</th>
                <th scope="col">Value</th>
                <th scope="col">Source</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((config) => {
                const override = config.source === 'DYNAMIC_TOPIC_CONFIG';
                const hint = KNOWN_TOPIC_CONFIGS.get(config.name)?.hint;
                return (
                  <tr key={config.name} aria-label={config.name} className={override ? 'config-override' : undefined}>
                    <th scope="row">
                      <span className="mono">{config.name}</span>
                      {hint === undefined ? null : <span className="config-hint muted">{hint}</span>}
                    </th>
                    <td aria-label="Value">
                      <ValueWithMeaning name={config.name} value={config.sensitive ? null : config.value} />
                    </td>
                    <td>
                      <span className="badge-list">
                        <span className={override ? 'status status-warn' : 'status status-muted'} aria-label="Source">
                          {configSourceLabel(config.source)}
                        </span>
                        {config.readOnly ? <span className="status status-muted">read-only</span> : null}
                        {config.sensitive ? <span className="status status-muted">sensitive</span> : null}
                      </span>
                    </td>
                    <td className="nowrap">
                      <div className="row-actions">
                      {config.readOnly ? null : (
                        <button type="button" className="button button-quiet" aria-label={`Edit ${config.name}`} onClick={() => edit({ name: config.name, action: 'set', current: config })}>
                          Edit
                        </button>
                      )}
                      {override && !config.readOnly ? (
                        <button type="button" className="button button-quiet" aria-label={`Reset ${config.name} to default`} onClick={() => edit({ name: config.name, action: 'remove', current: config })}>
                          Reset
                        </button>
                      ) : null}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
