// An error summary at the top of a form (the GOV.UK Design System's
// pattern): a heading, then one link per problem that moves focus to the
// field. It takes focus when it appears so keyboard and screen-reader users
// learn of the problems at once.

import { useEffect, useRef } from 'preact/hooks';

export interface SummaryError {
  // id of the control to focus; '' when the problem belongs to no field.
  fieldId: string;
  message: string;
}

export function FormErrorSummary(props: {
  title: string;
  errors: SummaryError[];
  // Changes on each submit; the summary takes focus then, not when the list
  // shrinks while people fix the fields.
  focusKey?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.errors.length > 0) ref.current?.focus();
  }, [props.focusKey ?? props.errors]);
  if (props.errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref} data-testid="error-summary">
      <h2 class="error-summary-title">{props.title}</h2>
      <ul>
        {props.errors.map((e, i) => (
          <li key={i}>
            {e.fieldId ? (
              <a
                href={`#${e.fieldId}`}
                onClick={(event) => {
                  event.preventDefault();
                  document.getElementById(e.fieldId)?.focus();
                }}
              >
                {e.message}
              </a>
            ) : (
              e.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
