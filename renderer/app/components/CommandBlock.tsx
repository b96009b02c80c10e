import { useEffect, useState } from 'react';

/**
 * The equivalent Kafka CLI command of a change (product guide, "Safety"), shown as it would
 * run, with a copy button. Multi-line when the command writes its input file first.
 */
export function CommandBlock({ command, label = 'Equivalent Kafka command' }: { command: string; label?: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  useEffect(() => {
    if (copied === null) return;
    const timer = setTimeout(() => setCopied(null), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <figure className="command-block">
      <figcaption className="command-block-head">
        <span className="field-label">{label}</span>
        <button
          type="button"
          className="button button-quiet"
          onClick={() =>
            navigator.clipboard.writeText(command).then(
              () => setCopied('yes'),
              () => setCopied('failed'),
            )
          }
        >
          {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed: select the text' : 'Copy'}
        </button>
      </figcaption>
      <pre className="command-text" aria-label={label}>
        {command}
      </pre>
    </figure>
  );
}
