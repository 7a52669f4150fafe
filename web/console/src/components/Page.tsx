// The frame of every page: its <h1> (focused after navigation so screen
// readers announce the new page) and document.title.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';

// The first page after loading keeps the browser's own start (so Tab reaches
// the skip link first); every later page moves focus to its heading.
let firstPage = true;

interface Props {
  title: string;
  children?: ComponentChildren;
  /** Extra content beside the heading (actions). */
  actions?: ComponentChildren;
}

export function Page({ title, children, actions }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title]);
  useEffect(() => {
    if (firstPage) {
      firstPage = false;
      return;
    }
    // Move focus to the new page's heading unless the person is typing.
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('nav, .page-head') || !document.contains(active)) {
      heading.current?.focus({ preventScroll: false });
    }
  }, []);
  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1} ref={heading}>{title}</h1>
        {actions && <div class="page-actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}
