// Routes. Every page is loaded on first visit, so the overview does not wait for the others' code.
import { Navigate, Route, Router, useLocation, useNavigate, type RouteSectionProps } from '@solidjs/router';
import { createResource, lazy, Match, Switch, type JSX } from 'solid-js';
import { whenSessionLost } from './api/client';
import { session } from './api/session';
import { endSession, restoreSession } from './auth/auth';
import Login from './auth/Login';
import { Loading } from './components/Feedback';
import { Layout } from './components/Layout';

const Overview = lazy(() => import('./pages/overview/Overview'));
const Hosts = lazy(() => import('./pages/hosts/Hosts'));
const HostDetail = lazy(() => import('./pages/hosts/HostDetail'));
const Containers = lazy(() => import('./pages/containers/Containers'));
const ContainerDetail = lazy(() => import('./pages/containers/ContainerDetail'));
const Probes = lazy(() => import('./pages/probes/Probes'));
const ProbeDetail = lazy(() => import('./pages/probes/ProbeDetail'));
const ProbeEdit = lazy(() => import('./pages/probes/ProbeEdit'));
const Incidents = lazy(() => import('./pages/incidents/Incidents'));
const IncidentDetail = lazy(() => import('./pages/incidents/IncidentDetail'));
const Settings = lazy(() => import('./pages/settings/Settings'));
const Agents = lazy(() => import('./pages/agents/Agents'));
const Admin = lazy(() => import('./pages/admin/Admin'));
const Dashboards = lazy(() => import('./pages/dashboards/Dashboards'));
const Reports = lazy(() => import('./pages/reports/Reports'));

/** Signed-in pages: restores the session once, else sends the user to login and back here afterwards. */
function Protected(props: RouteSectionProps): JSX.Element {
  const location = useLocation();
  const navigate = useNavigate();
  const [restored] = createResource(() => (session() ? Promise.resolve(true) : restoreSession()));
  whenSessionLost(() => {
    endSession();
    const next = encodeURIComponent(location.pathname + location.search);
    navigate(`/login?expired=1&next=${next}`, { replace: true });
  });
  return (
    <Switch fallback={<Loading />}>
      <Match when={session()}>
        <Layout>{props.children}</Layout>
      </Match>
      <Match when={restored() === false}>
        <Navigate href={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} />
      </Match>
    </Switch>
  );
}

export function AppRoutes() {
  return (
    <>
      <Route path="/login" component={Login} />
      <Route path="/" component={Protected}>
        <Route path="/" component={Overview} />
        <Route path="/hosts" component={Hosts} />
        <Route path="/hosts/:id" component={HostDetail} />
        <Route path="/containers" component={Containers} />
        <Route path="/containers/:id" component={ContainerDetail} />
        <Route path="/probes" component={Probes} />
        <Route path="/probes/new" component={ProbeEdit} />
        <Route path="/probes/:id" component={ProbeDetail} />
        <Route path="/probes/:id/edit" component={ProbeEdit} />
        <Route path="/incidents" component={Incidents} />
        <Route path="/incidents/:id" component={IncidentDetail} />
        <Route path="/dashboards/:id?" component={Dashboards} />
        <Route path="/reports" component={Reports} />
        <Route path="/settings/:tab?" component={Settings} />
        <Route path="/agents" component={Agents} />
        <Route path="/admin/:tab?" component={Admin} />
        <Route path="*" component={() => <Navigate href="/" />} />
      </Route>
    </>
  );
}

export default function App() {
  return (
    <Router>
      <AppRoutes />
    </Router>
  );
}
