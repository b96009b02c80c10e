import { useId, useState } from 'react';
import { CommandBlock } from './CommandBlock';

/**
 * "Show the equivalent command" for a change (product guide, "Safety"): collapsed by
 * default, with a copy button, so a user can run or script the same change outside Samsa.
 */
export function CommandLine({ command, note, loading, error }: { command: string | null; note?: string | null; loading?: boolean; error?: string | null }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  return (
    <div className="command-line">
      <button type="button" className="button button-quiet" aria-expanded={open} aria-controls={`${id}-command`} onClick={() => setOpen((value) => !value)}>
        {open ? 'Hide the equivalent CLI command' : 'Show the equivalent CLI command'}
      </button>
      {open ? (
        <div id={`${id}-command`} className="command-line-body">
          {command !== null ? (
            <>
              <CommandBlock command={command} label="Equivalent CLI command" />
              {note ? <span className="muted">{note}</span> : null}
            </>
          ) : loading ? (
            <p className="muted" role="status">
              Rendering the command…
            </p>
          ) : (
            <p className="inline-error" role="alert">
              {error ?? 'The command is not available.'}
            </p>
          )}
        </div>
      ) : null}
    </div>
  );
}
