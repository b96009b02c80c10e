import { useId, type ReactNode } from 'react';

/**
 * The frame of a multi-step operation (offset reset, reassignment): a titled panel with a
 * close button and the steps in order, the current one marked for screen readers too.
 */
export function WizardPanel({ title, steps, current, onClose, children }: { title: ReactNode; steps: readonly string[]; current: number; onClose: () => void; children: ReactNode }) {
  const id = useId();
  return (
    <section className="panel wizard" aria-labelledby={`${id}-title`}>
      <div className="panel-header">
        <h2 id={`${id}-title`} className="panel-title">
          {title}
        </h2>
        <button type="button" className="button button-quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="panel-body">
        <ol className="wizard-steps" aria-label="Steps">
          {steps.map((step, index) => (
            <li key={step} className={index === current ? 'wizard-step current' : index < current ? 'wizard-step done' : 'wizard-step'} aria-current={index === current ? 'step' : undefined}>
              <span className="wizard-step-number" aria-hidden="true">
                {index + 1}
              </span>
              {step}
            </li>
          ))}
        </ol>
        {children}
      </div>
    </section>
  );
}
