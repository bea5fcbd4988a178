/** The first manager (ADMIN_EMAIL / ADMIN_PASSWORD) and the demo quarter on an empty database. */
import { Client, CompanySettings, Quarter, User } from './db/entities.ts';
import { hashPassword } from './auth/password.ts';
import { DEMO_COMPANY, demoPrices, demoScenario, xlDemoScenario } from './demo/demo-scenario.ts';
import { importScenario } from './modules/quarters/scenario-io.ts';
import type { Services } from './services.ts';

export async function ensureAdmin(s: Services): Promise<void> {
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = s.config;
  if (!email || !password) return;
  const em = s.store.reader();
  if (await em.findOne(User, { email: email.toLowerCase() })) return;
  em.create(User, { email: email.toLowerCase(), passwordHash: await hashPassword(password), role: 'manager' });
  await em.flush();
  s.logger.info({ email }, 'created the first manager from ADMIN_EMAIL');
}

/** The demo sign-ins, printed by `npm start` and listed in README.md: they meet the password rule too. */
export const DEMO_USERS = [
  { email: 'manager@demo.test', password: 'hourglass-demo-manager', role: 'manager' as const },
  { email: 'ana@demo.test', password: 'hourglass-demo-staff', role: 'staff' as const, staffId: 'ana' },
  { email: 'sam@demo.test', password: 'hourglass-demo-staff', role: 'staff' as const, staffId: 'sam' },
  { email: 'harbor@demo.test', password: 'hourglass-demo-client', role: 'client' as const, clientId: 'harbor' },
  { email: 'quill@demo.test', password: 'hourglass-demo-client', role: 'client' as const, clientId: 'quill' },
  { email: 'nimbus@demo.test', password: 'hourglass-demo-client', role: 'client' as const, clientId: 'nimbus' },
];

/**
 * Loads the demo quarter and its sign-ins when the database is empty and DEMO allows it: the small
 * one, or with DEMO=xl the generated quarter at scale (10,000 tickets; its import takes a while).
 */
export async function loadDemoIfEmpty(s: Services): Promise<typeof DEMO_USERS | null> {
  const want = s.config.DEMO === 'on' || s.config.DEMO === 'xl' || (s.config.DEMO === 'auto' && s.embedded);
  if (!want) return null;
  const em = s.store.reader();
  if ((await em.count(Quarter)) > 0) return null;
  const scenario = s.config.DEMO === 'xl' ? xlDemoScenario() : demoScenario();
  await s.store.write(null, 'demo quarter', async (w) => {
    await importScenario(w, scenario.quarter.id, scenario);
    const q = await w.tx.findOneOrFail(Quarter, { id: scenario.quarter.id });
    q.autoAdvance = true;
    // Prices, so the money screens and statements have figures (they don't move the plan).
    for (const c of await w.tx.find(Client, {})) Object.assign(c, demoPrices(c.id, c.plan));
    const settings = await w.tx.findOne(CompanySettings, { id: 1 });
    if (settings) Object.assign(settings, DEMO_COMPANY);
    else w.tx.create(CompanySettings, { id: 1, ...DEMO_COMPANY });
    for (const u of DEMO_USERS) {
      if (await w.tx.findOne(User, { email: u.email })) continue;
      w.tx.create(User, { email: u.email, passwordHash: await hashPassword(u.password), role: u.role, clientId: 'clientId' in u ? u.clientId : null, staffId: 'staffId' in u ? u.staffId : null });
    }
    await w.tx.flush();
  });
  s.logger.info({ quarter: scenario.quarter.id, tickets: scenario.tickets.length }, 'loaded the demo quarter');
  return DEMO_USERS;
}
