import { describe, expect, it } from 'vitest';
import { labRunCommand } from '../../../src/lab/cliCommand';

describe('labRunCommand: the samsa lab run line for the settings a run used', () => {
  it('a preset as it is needs only the preset, the fault and the size', () => {
    expect(labRunCommand('exactly-once', 'kill-consumer', { records: 300 })).toBe('samsa lab run --preset exactly-once --fault kill-consumer --records 300 --json');
  });

  it('settings that differ from the preset become flags, with the names and values the CLI parses', () => {
    expect(
      labRunCommand('at-least-once', 'unclean-election', {
        records: 1000,
        partitions: 6,
        minInsyncReplicas: 1,
        acks: 1,
        retries: 0,
        idempotent: true,
        commit: 'auto',
        isolation: 'read_committed',
        faultAt: 0.25,
      }),
    ).toBe(
      'samsa lab run --preset at-least-once --fault unclean-election --records 1000 --partitions 6 --min-insync-replicas 1 --acks 1 --retries 0 --idempotence --commit auto --isolation read_committed --fault-at 25 --json',
    );
  });

  it('turning off what the preset turns on is a --no- flag; a value equal to the preset is left out', () => {
    expect(labRunCommand('exactly-once', 'none', { records: 600, transactional: false, idempotent: false, commit: 'after-processing', isolation: 'read_committed', acks: -1 })).toBe(
      'samsa lab run --preset exactly-once --fault none --records 600 --no-idempotence --no-transactional --commit after-processing --json',
    );
  });
});
