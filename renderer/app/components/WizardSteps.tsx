/** Where the user is in a wizard: the steps in order, the current one marked for screen readers too. */
export function WizardSteps({ steps, current, label }: { steps: readonly string[]; current: number; label: string }) {
  return (
    <ol className="wizard-steps" aria-label={label}>
      {steps.map((step, index) => (
        <li key={step} className={index === current ? 'wizard-step current' : index < current ? 'wizard-step done' : 'wizard-step'} aria-current={index === current ? 'step' : undefined}>
          <span className="wizard-step-number" aria-hidden="true">
            {index + 1}
          </span>
          {step}
        </li>
      ))}
    </ol>
  );
}
