import type { CallInput } from '../../../src/api/contract';
import { useCommandPreview } from '../api/clusterHooks';
import { CommandLine } from './CommandLine';

/** The equivalent CLI command of a destructive action, asked of the back end when shown. */
export function PreviewedCommand({ input }: { input: CallInput<'commands.preview'> }) {
  const preview = useCommandPreview(input);
  return <CommandLine command={preview.data?.command ?? null} note={preview.data?.note ?? null} loading={preview.isPending} error={preview.isError ? preview.error.message : null} />;
}
