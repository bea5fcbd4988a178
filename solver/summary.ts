/** A short human-readable view of a plan for the terminal (`npm run plan -- --summary`). */
import type { Plan } from './contract.ts';

const h = (x: number) => (Math.round(x * 100) / 100).toString();

function table(head: string[], rows: string[][]): string {
  const widths = head.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function summarize(plan: Plan): string {
  const { quarter } = plan;
  const out: string[] = [];
  out.push(`Quarter ${quarter.id}: weeks ${quarter.currentWeek}-${quarter.weeks - 1} planned of ${quarter.weeks}`);
  out.push('');
  out.push('Clients');
  out.push(
    table(
      ['client', 'plan', 'rate/wk', 'balance', 'delivered', 'at risk', 'rollover', 'overage'],
      plan.clients.map((c) => [
        c.id,
        c.plan,
        c.plan === 'prepaid' ? h(c.rate[quarter.currentWeek] ?? 0) : '-',
        c.plan === 'prepaid' ? h(c.balanceHours) : '-',
        h(c.delivered.slice(quarter.currentWeek).reduce((a, b) => a + b, 0)),
        c.plan === 'prepaid' ? h(c.atRiskHours) : '-',
        c.plan === 'prepaid' ? h(c.rolloverHours) : '-',
        c.plan === 'prepaid' ? h(c.overageHours) : '-',
      ]),
    ),
  );
  out.push('');
  out.push('Weeks');
  out.push(
    table(
      ['week', 'capacity', 'allocated', 'free', 'emergency', 'rate', 'urgent', 'payg', 'ahead'],
      plan.weeks
        .filter((w) => w.week >= quarter.currentWeek)
        .map((w) => [String(w.week), h(w.capacity), h(w.allocated), h(w.capacity - w.allocated), ...w.byLevel.map(h)]),
    ),
  );
  const unplanned = plan.unplanned.reduce((a, u) => a + u.hours, 0);
  out.push('');
  out.push(`Unplanned: ${h(unplanned)} h on ${plan.unplanned.length} ticket(s)`);
  for (const u of plan.unplanned.slice(0, 10)) out.push(`  ${u.ticket} (${h(u.hours)} h): ${u.reason}`);
  if (plan.unplanned.length > 10) out.push(`  … and ${plan.unplanned.length - 10} more`);
  out.push(`Solved in ${plan.stats.solveMs} ms`);
  return out.join('\n') + '\n';
}
