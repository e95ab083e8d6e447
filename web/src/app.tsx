import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { LocationProvider, Router, Route, lazy, useLocation } from 'preact-iso';
import type { ComponentChildren } from 'preact';
import { api, ApiError } from './api';
import { AuthContext, safeNext, useAuth } from './auth';
import { I18nProvider, useI18n } from './i18n/context';
import { LanguageSwitch } from './components/LanguageSwitch';
import { SeekOnOpen } from './components/SeekOnOpen';
import { mockPaths } from './lib/mock';
import type { Me } from './types';
import { SignIn } from './pages/SignIn';
import { Invite } from './pages/Invite';
import { Picker } from './pages/Picker';
import { NotFound } from './pages/NotFound';
import { COACHING_PATH, isCoach, isCoachingPath } from './lib/coaching';

// Coaching and organisations: their own chunks, like every page but the first.
const AdminOrganisations = lazy(() => import('./pages/AdminOrganisations').then((m) => m.AdminOrganisations));
const Coaching = lazy(() => import('./pages/Coaching').then((m) => m.Coaching));
const MemberPage = lazy(() => import('./pages/Coaching').then((m) => m.MemberPage));
const CohortPage = lazy(() => import('./pages/CohortOverview').then((m) => m.CohortPage));

const Record = lazy(() => import('./pages/Record').then((m) => m.Record));
const ReportPage = lazy(() => import('./pages/Report').then((m) => m.ReportPage));
const History = lazy(() => import('./pages/History').then((m) => m.History));
const Account = lazy(() => import('./pages/Account').then((m) => m.Account));
const Admin = lazy(() => import('./pages/Admin').then((m) => m.Admin));
const MockSetup = lazy(() => import('./pages/MockSetup').then((m) => m.MockSetup));
const MockRun = lazy(() => import('./pages/MockRun').then((m) => m.MockRun));
const MockReport = lazy(() => import('./pages/MockReport').then((m) => m.MockReport));

const PUBLIC = [/^\/signin$/, /^\/invite\//];

function isPublic(path: string): boolean {
  return PUBLIC.some((r) => r.test(path));
}

function Nav({ me }: { me: Me }) {
  const { m } = useI18n();
  const { path, route } = useLocation();
  const [busy, setBusy] = useState(false);
  const link = (href: string, label: string) => {
    const current = href === '/' ? path === '/' || path === '/record'
      : path.startsWith(href) && (href === COACHING_PATH || !isCoachingPath(path));
    return (
      <li><a href={href} aria-current={current ? 'page' : undefined}>{label}</a></li>
    );
  };
  const signOut = async () => {
    setBusy(true);
    try {
      await api.signOut();
    } catch {
      // signed out locally whatever the server said
    }
    setBusy(false);
    route('/signin');
    window.dispatchEvent(new CustomEvent('isim:signed-out'));
  };
  return (
    <>
      <nav aria-label={m.nav.label}>
        <ul>
          {link('/', m.nav.practise)}
          {link(mockPaths.list, m.mock.nav)}
          {link('/history', m.nav.history)}
          {isCoach(me) && link(COACHING_PATH, m.coach.nav)}
          {link('/account', m.nav.account)}
          {me.role === 'admin' && link('/admin', m.nav.admin)}
        </ul>
      </nav>
      <div class="who">
        <span class="who-name" title={me.email ?? ''}>{me.name}</span>
        <button type="button" class="secondary small" onClick={signOut} disabled={busy}>{m.nav.signOut}</button>
      </div>
    </>
  );
}

function Shell({ children }: { children: ComponentChildren }) {
  const { me } = useAuth();
  const { m } = useI18n();
  return (
    <>
      <a class="skip" href="#main">{m.app.skip}</a>
      <header class="topbar">
        <a class="brand" href="/">{m.app.name}</a>
        {me && <Nav me={me} />}
        <LanguageSwitch />
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </>
  );
}

function Routes({ me, ready }: { me: Me | null; ready: boolean }) {
  const { m } = useI18n();
  const loc = useLocation();
  const redirected = useRef(false);

  useEffect(() => {
    api.setUnauthorizedHandler(() => {
      const here = window.location.pathname + window.location.search;
      window.dispatchEvent(new CustomEvent('isim:signed-out'));
      if (!isPublic(window.location.pathname)) loc.route(`/signin?next=${encodeURIComponent(here)}`, true);
    });
    return () => api.setUnauthorizedHandler(null);
  }, [loc.route]);

  useEffect(() => {
    if (!ready) return;
    if (!me && !isPublic(loc.path)) {
      redirected.current = true;
      loc.route(`/signin?next=${encodeURIComponent(loc.url)}`, true);
    } else if (me && loc.path === '/signin') {
      loc.route(safeNext(loc.query.next), true);
    }
  }, [ready, me, loc.path]);

  if (!ready) return <p class="loading" role="status">{m.app.loading}</p>;
  if (!me && !isPublic(loc.path)) return <p class="loading" role="status">{m.app.redirecting}</p>;

  return (
    <>
      <SeekOnOpen />
      <Router onRouteChange={() => {
        window.scrollTo(0, 0);
        document.getElementById('main')?.focus({ preventScroll: true });
      }}>
        <Route path="/signin" component={SignIn} />
        <Route path="/invite/:token" component={Invite} />
        <Route path="/" component={Picker} />
        <Route path="/record" component={Record} />
        <Route path={mockPaths.list} component={MockSetup} />
        <Route path={`${mockPaths.list}/:id`} component={MockRun} />
        <Route path={`${mockPaths.list}/:id/report`} component={MockReport} />
        <Route path="/interviews/:id" component={ReportPage} />
        <Route path="/history" component={History} />
        <Route path="/account" component={Account} />
        <Route path="/admin" component={Admin} />
        <Route path="/admin/organisations" component={AdminOrganisations} />
        <Route path={COACHING_PATH} component={Coaching} />
        <Route path={`${COACHING_PATH}/cohorts/:id`} component={CohortPage} />
        <Route path={`${COACHING_PATH}/people/:id`} component={MemberPage} />
        <Route default component={NotFound} />
      </Router>
    </>
  );
}

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    api.me().then(setMe, (e) => {
      if (!(e instanceof ApiError && e.status === 401)) console.warn('GET /v1/me failed:', e);
      setMe(null);
    }).finally(() => setReady(true));
    const out = () => setMe(null);
    window.addEventListener('isim:signed-out', out);
    return () => window.removeEventListener('isim:signed-out', out);
  }, []);

  const auth = useMemo(() => ({ me, setMe }), [me]);

  return (
    <I18nProvider>
      <AuthContext.Provider value={auth}>
        <LocationProvider>
          <Shell>
            <Routes me={me} ready={ready} />
          </Shell>
        </LocationProvider>
      </AuthContext.Provider>
    </I18nProvider>
  );
}
