import { useState } from 'react';

/** Copies text to the clipboard and says whether it worked (a denied clipboard is not an error). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  return (
    <button
      type="button"
      className="button"
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
