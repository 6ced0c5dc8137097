// A few mutually exclusive choices drawn as one segmented control: the ARIA
// radio group pattern (one Tab stop on the chosen option; arrow keys, Home
// and End move and choose), so it reads and works like native radios.
import { useRef, type KeyboardEvent } from 'react';

export function Segmented<T extends string | number>(props: {
  label: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
  testId?: string;
}) {
  const group = useRef<HTMLDivElement>(null);
  const move = (e: KeyboardEvent) => {
    const i = props.options.findIndex((o) => o.value === props.value);
    const n = props.options.length;
    const next = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? (i + 1) % n
      : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? (i - 1 + n) % n
        : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -1;
    const option = props.options[next];
    if (!option) return;
    e.preventDefault();
    props.onChange(option.value);
    group.current?.querySelectorAll<HTMLElement>('[role="radio"]')[next]?.focus();
  };
  return (
    <div ref={group} className="segmented" role="radiogroup" aria-label={props.label} onKeyDown={move} data-testid={props.testId}>
      {props.options.map((o) => {
        const on = o.value === props.value;
        return (
          <button key={String(o.value)} type="button" role="radio" aria-checked={on} tabIndex={on ? 0 : -1} className={on ? 'is-on' : ''} onClick={() => props.onChange(o.value)}>
            {o.label}
          </button>
        );
      })}
    </div>
  );
}
