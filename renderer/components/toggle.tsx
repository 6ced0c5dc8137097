// An on/off switch: a real button with role="switch", so Space and Enter work
// and screen readers announce its state. "busy" shows the predicted state.
import { memo } from 'react';

export const Toggle = memo(function Toggle(props: { checked: boolean; busy?: boolean; label: string; onChange: (next: boolean) => void; testId?: string }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={props.checked}
      aria-label={props.label}
      title={props.label}
      className={`toggle${props.checked ? ' toggle--on' : ''}${props.busy ? ' toggle--busy' : ''}`}
      data-testid={props.testId}
      onClick={(e) => {
        e.stopPropagation();
        props.onChange(!props.checked);
      }}
    >
      <span className="toggle__thumb" aria-hidden="true" />
    </button>
  );
});
