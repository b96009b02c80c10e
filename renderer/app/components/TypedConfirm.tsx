import { useId, useState, type ReactNode } from 'react';

/**
 * Confirmation for an irreversible action: the user types the name of what will be destroyed
 * (the product's safety rule), and the button stays disabled until it matches exactly.
 */
export function TypedConfirm({
  name,
  action,
  consequence,
  pending,
  error,
  onConfirm,
  onCancel,
  command,
}: {
  name: string;
  action: string;
  consequence: string;
  pending: boolean;
  error: string | null;
  onConfirm: (typed: string) => void;
  onCancel: () => void;
  /** The equivalent CLI command, usually a <CommandLine>; shown under the consequence. */
  command?: ReactNode;
}) {
  const id = useId();
  const [typed, setTyped] = useState('');
  const matches = typed === name;
  return (
    <form
      className="confirm-panel"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        if (matches) onConfirm(typed);
      }}
    >
      <p id={`${id}-title`} className="confirm-title">
        {action} <span className="mono">{name}</span>?
      </p>
      <p className="muted">{consequence}</p>
      {command ?? null}
      <div className="field">
        <label htmlFor={`${id}-input`}>
          Type <span className="mono">{name}</span> to confirm
        </label>
        <input id={`${id}-input`} value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" spellCheck={false} autoFocus />
      </div>
      {error === null ? null : (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="row-actions start">
        <button type="submit" className="button button-danger" disabled={!matches || pending}>
          {pending ? 'Working…' : action}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
