import { useState } from 'react';

/** Copies text to the clipboard and says whether it worked (clipboard access can be refused). */
export function CopyButton({ text, label, className = 'button', caption = 'Copy' }: { text: string; label: string; className?: string; caption?: string }) {
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
      {copied === 'yes' ? 'Copied' : copied === 'no' ? 'Select and copy by hand' : caption}
    </button>
  );
}
