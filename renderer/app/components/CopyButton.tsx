import { useState } from 'react';

/** Copies text to the clipboard, saying so; where the clipboard is refused, it says to copy by hand. */
export function CopyButton({ text, label, className = 'button' }: { text: string; label: string; className?: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  return (
    <button
      type="button"
      className={className}
      aria-label={label}
      onClick={() =>
        navigator.clipboard.writeText(text).then(
          () => setCopied('yes'),
          () => setCopied('no'),
        )
      }
    >
      {copied === 'yes' ? 'Copied' : copied === 'no' ? 'Select and copy by hand' : 'Copy'}
    </button>
  );
}
