import { PRESETS, scenarioFromPreset } from '../../lab/presets';
import { FAULT_KINDS, PRESET_NAMES } from '../../lab/scenario';
import { defineHandlers } from './types';

/** The delivery-guarantees lab on the embedded cluster; LabRuns keeps one run at a time. */
export const labHandlers = defineHandlers({
  'lab.presets': () => ({
    presets: PRESET_NAMES.map((name) => ({ name, summary: PRESETS[name].summary, scenario: scenarioFromPreset(name, 'none'), faults: PRESETS[name].faults })),
    faults: FAULT_KINDS,
  }),

  'lab.start': (input, { lab }) => lab.start(input),

  'lab.status': ({ runId }, { lab }) => lab.status(runId),

  'lab.cancel': ({ runId }, { lab }) => lab.cancel(runId),
});
