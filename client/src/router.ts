/** Routes. Each page names the role that may open it; composables/route-guard.ts enforces it. */
import { createRouter, createWebHistory } from 'vue-router';
import type { Role } from '../../shared/api/index.ts';
import { guard } from './composables/route-guard.ts';
import { homeFor, useSession } from './composables/use-session.ts';

const manager: Role = 'manager';
const staff: Role = 'staff';
const client: Role = 'client';

export const routes = [
  { path: '/sign-in', name: 'sign-in', component: () => import('./views/SignIn.vue'), meta: { public: true, title: 'Sign in' } },
  { path: '/set-password', name: 'set-password', component: () => import('./views/SetPassword.vue'), meta: { public: true, open: true, title: 'Set your password' } },
  { path: '/', name: 'home', redirect: () => homeFor(useSession().user.value) },
  { path: '/manager', name: 'manager', component: () => import('./views/manager/ManagerCapacity.vue'), meta: { role: manager, title: 'Capacity' } },
  { path: '/manager/clients', name: 'manager-clients', component: () => import('./views/manager/ManagerClients.vue'), meta: { role: manager, title: 'Clients' } },
  { path: '/manager/clients/:id', name: 'manager-client', component: () => import('./views/manager/ManagerClient.vue'), props: true, meta: { role: manager, title: 'Client' } },
  { path: '/manager/staff', name: 'manager-staff', component: () => import('./views/setup/ManagerStaff.vue'), meta: { role: manager, title: 'Staff' } },
  { path: '/manager/users', name: 'manager-users', component: () => import('./views/setup/ManagerUsers.vue'), meta: { role: manager, title: 'Users' } },
  { path: '/manager/setup', name: 'manager-setup', component: () => import('./views/setup/FirstRun.vue'), meta: { role: manager, title: 'Setup' } },
  { path: '/manager/history', name: 'manager-history', component: () => import('./views/manager/ManagerHistory.vue'), meta: { role: manager, title: 'History' } },
  { path: '/manager/revenue', name: 'manager-revenue', component: () => import('./views/manager/ManagerRevenue.vue'), meta: { role: manager, title: 'Revenue' } },
  { path: '/manager/quarter', name: 'manager-quarter', component: () => import('./views/manager/ManagerQuarter.vue'), meta: { role: manager, title: 'Quarter' } },
  { path: '/manager/tickets', name: 'manager-tickets', component: () => import('./views/manager/ManagerTickets.vue'), meta: { role: manager, title: 'Tickets' } },
  { path: '/manager/calendar', name: 'manager-calendar', component: () => import('./views/manager/ManagerCalendars.vue'), meta: { role: manager, title: 'Holidays and absences' } },
  { path: '/manager/integrations', name: 'manager-integrations', component: () => import('./views/manager/ManagerIntegrations.vue'), meta: { role: manager, title: 'Integrations' } },
  { path: '/staff', name: 'staff', component: () => import('./views/staff/StaffWeeks.vue'), meta: { role: staff, title: 'My weeks' } },
  { path: '/client', name: 'client', component: () => import('./views/client/ClientHours.vue'), meta: { role: client, title: 'Hours this quarter' } },
  { path: '/client/tickets', name: 'client-tickets', component: () => import('./views/client/ClientTickets.vue'), meta: { role: client, title: 'My tickets' } },
  { path: '/account/notifications', name: 'account-notifications', component: () => import('./views/account/AccountNotifications.vue'), meta: { title: 'Notifications' } },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFound.vue'), meta: { title: 'Not found' } },
];

export function createAppRouter() {
  const router = createRouter({ history: createWebHistory(), routes, scrollBehavior: () => ({ top: 0 }) });
  router.beforeEach(guard);
  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · Hourglass` : 'Hourglass';
  });
  return router;
}
