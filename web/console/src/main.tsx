// The shell: sign-in, the signed-in person's start page by role, navigation,
// the language switch and sign-out. Pages are routed by location.hash (see
// router.ts); each area under src/pages/ registers its own routes.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, onSessionEnded, session, signIn, signOut, type SessionInfo } from './api';
import { initLang, lang, onLangChange, setLang, t, type Lang } from './i18n';
import { clearReference } from './reference';
import { allRoutes, currentPath, exists, navigate, resolve, startPath, usePath } from './router';
import { ErrorMessage } from './components/ErrorMessage';
import { Loading } from './components/Loading';
import { Page } from './components/Page';
import './strings/common';
import './strings/enums';
import './pages/coach';
import './pages/employer';
import './pages/operator';
import './pages/admin';
import './pages/auditor';
import './pages/followup';

type Notice = 'expired' | 'signedOut' | undefined;

function LanguageSwitch() {
  const current = lang();
  const choose = (next: Lang) => () => setLang(next);
  return (
    <div class="lang-switch" role="group" aria-label={t('app.language')}>
      <button type="button" lang="sv" aria-pressed={current === 'sv'} onClick={choose('sv')}>{t('app.lang.sv')}</button>
      <button type="button" lang="en" aria-pressed={current === 'en'} onClick={choose('en')}>{t('app.lang.en')}</button>
    </div>
  );
}

function SkipLink() {
  // A hash link would change the route; move focus by script instead.
  const skip = (event: Event) => {
    event.preventDefault();
    const heading = document.querySelector<HTMLElement>('main h1');
    (heading ?? document.getElementById('main'))?.focus();
  };
  return <a class="skip-link" href="#main" onClick={skip}>{t('app.skip')}</a>;
}

function SignInPage({ notice, onSignedIn }: { notice: Notice; onSignedIn: (s: SessionInfo) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [detail, setDetail] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!token.trim()) {
      setError(t('signIn.empty'));
      setDetail(undefined);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const signedIn = await signIn(token.trim());
      setToken('');
      onSignedIn(signedIn);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthenticated') {
        setError(t('signIn.bad'));
        setDetail(undefined);
      } else if (e instanceof ApiError && e.code === 'resource_exhausted') {
        const seconds = e.retryAfterSeconds;
        setError(seconds === undefined ? t('signIn.slowedNoTime')
          : t(seconds === 1 ? 'signIn.slowedOne' : 'signIn.slowed', { seconds }));
        setDetail(undefined);
      } else {
        setError(undefined);
        setDetail(e);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('signIn.title')}>
      {notice && <p class="notice" role="status">{t(notice === 'expired' ? 'signIn.expired' : 'signIn.signedOut')}</p>}
      <p>{t('signIn.intro')}</p>
      <form class="sign-in" onSubmit={submit} noValidate>
        <label for="token">{t('signIn.token')}</label>
        <input id="token" name="token" type="password" autocomplete="off" spellcheck={false}
          aria-describedby="token-help" aria-invalid={error ? true : undefined}
          aria-errormessage={error ? 'token-error' : undefined}
          value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
        <p id="token-help" class="help">{t('signIn.tokenHelp')}</p>
        {error && <p id="token-error" class="error-text" role="alert">{error}</p>}
        {detail !== undefined && <ErrorMessage error={detail} />}
        <button type="submit" class="primary" disabled={busy}>{busy ? t('signIn.busy') : t('signIn.submit')}</button>
      </form>
    </Page>
  );
}

function NotFound({ home }: { home: string }) {
  return (
    <Page title={t('app.notFound')}>
      <p>{t('app.notFoundText')}</p>
      <p><a href={'#' + home}>{t('app.toStart')}</a></p>
    </Page>
  );
}

function Nav({ who, path }: { who: SessionInfo; path: string }) {
  const items = allRoutes().filter((r) => r.nav && r.roles.includes(who.role));
  if (items.length === 0) return null;
  // The current item is the longest pattern the path starts with.
  const current = items
    .filter((r) => path === r.pattern || path.startsWith(r.pattern + '/'))
    .sort((a, b) => b.pattern.length - a.pattern.length)[0];
  return (
    <nav aria-label={t('app.nav')}>
      <ul>
        {items.map((r) => {
          const here = r === current;
          return (
            <li key={r.pattern}>
              <a href={'#' + r.pattern} aria-current={here ? 'page' : undefined}>{t(r.titleKey)}</a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function App() {
  const [, setLangTick] = useState(lang());
  const [who, setWho] = useState<SessionInfo | null | undefined>(undefined);
  const [startError, setStartError] = useState<unknown>();
  const [notice, setNotice] = useState<Notice>();
  const path = usePath();

  useEffect(() => onLangChange((l) => setLangTick(l)), []);
  useEffect(() => onSessionEnded(() => {
    clearReference();
    setWho((before) => {
      if (before) setNotice('expired');
      return null;
    });
  }), []);

  const check = () => {
    setStartError(undefined);
    session().then(setWho, (e: unknown) => setStartError(e));
  };
  useEffect(check, []);

  const signedIn = (s: SessionInfo) => {
    setNotice(undefined);
    clearReference();
    setWho(s);
    // Keep a deep link the person may open; otherwise their start page.
    if (!resolve(currentPath(), s.role)) navigate(startPath(s.role));
  };

  const end = async () => {
    try {
      await signOut();
    } finally {
      clearReference();
      setNotice('signedOut');
      setWho(null);
    }
  };

  let content;
  if (startError !== undefined) {
    content = <ErrorMessage error={startError} onRetry={check} />;
  } else if (who === undefined) {
    content = <Loading />;
  } else if (who === null) {
    content = <SignInPage notice={notice} onSignedIn={signedIn} />;
  } else {
    const found = resolve(path, who.role);
    if (found) {
      content = found.route.render(found.params);
    } else if (path === '/' || !exists(path)) {
      if (path === '/') {
        navigate(startPath(who.role));
        content = <Loading />;
      } else {
        content = <NotFound home={startPath(who.role)} />;
      }
    } else {
      content = <NotFound home={startPath(who.role)} />;
    }
  }

  return (
    <>
      <SkipLink />
      <header class="app-header">
        <div class="brand">{t('app.name')}</div>
        {who && <Nav who={who} path={path} />}
        <div class="header-tools">
          <LanguageSwitch />
          {who && (
            <>
              <span class="who">{t('app.signedInAs', { principal: who.principalId, role: t(`role.${who.role}`) })}</span>
              <button type="button" onClick={end}>{t('app.signOut')}</button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1} key={who ? who.principalId + path : 'signed-out'}>
        {content}
      </main>
      <footer class="app-footer"><p>{t('app.footer')}</p></footer>
    </>
  );
}

initLang();
const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
