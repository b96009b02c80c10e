import { CopyButton } from './CopyButton';

/**
 * The equivalent Kafka CLI command of a change (product guide, "Safety"), shown as it would
 * run, with a copy button. Multi-line when the command writes its input file first.
 */
export function CommandBlock({ command, label = 'Equivalent Kafka command' }: { command: string; label?: string }) {
  return (
    <figure className="command-block">
      <figcaption className="command-block-head">
        <span className="field-label">{label}</span>
        <CopyButton text={command} label="Copy command" className="button button-quiet" />
      </figcaption>
      <pre className="command-text" aria-label={label}>
        {command}
      </pre>
    </figure>
  );
}
