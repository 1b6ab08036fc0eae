import type { ReactNode } from 'react';
import { AlertsPage } from '../features/alerts/AlertsPage';
import { EventsPage } from '../features/events/EventsPage';
import { OverviewPage } from '../features/overview/OverviewPage';
import { ReportsPage } from '../features/reports/ReportsPage';
import { RequestsPage } from '../features/requests/RequestsPage';
import { RetentionPage } from '../features/retention/RetentionPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import type { Route } from './router';

export interface AppRoute {
  id: string;
  label: string;
  render: (route: Route) => ReactNode;
}

/** The sidebar, in order. The first is the default. */
export const appRoutes: AppRoute[] = [
  { id: 'overview', label: 'Overview', render: (route) => <OverviewPage route={route} /> },
  { id: 'events', label: 'Events', render: (route) => <EventsPage route={route} /> },
  { id: 'alerts', label: 'Alerts', render: () => <AlertsPage /> },
  { id: 'requests', label: 'Requests', render: () => <RequestsPage /> },
  { id: 'retention', label: 'Retention', render: () => <RetentionPage /> },
  { id: 'reports', label: 'Reports', render: () => <ReportsPage /> },
  { id: 'settings', label: 'Settings', render: () => <SettingsPage /> },
];

export function findRoute(route: Route): AppRoute {
  const first = appRoutes[0] as AppRoute;
  return appRoutes.find((r) => r.id === route.segments[0]) ?? first;
}
