// @vitest-environment happy-dom
/**
 * The client's at-risk sentence follows the plan's advice: presented work left unplanned is named
 * with its reason and the client is asked to talk to the company (not to present more); too
 * little presented asks for tasks by the present-by week. Figures in quarter hours.
 */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ClientHoursPanel from '../../client/src/components/ClientHoursPanel.vue';
import type { ClientPlan } from '../../shared/api/index.ts';
import { hoursSentences } from '../../client/src/composables/hours-sentences.ts';
import { clientPlan } from './fixtures.ts';

const quarter = { id: '2026-Q4', weeks: 5, currentWeek: 2, startDate: '2026-09-28' };
const REASON = "no capacity left in weeks 2-4: it went to emergencies (12 h), other clients' locked-in rates (8 h)";
const unplanned = (over: Partial<ClientPlan> = {}) =>
  clientPlan({
    atRiskHours: 5,
    presentByWeek: 3,
    advice: { cause: 'unplanned-work', tickets: [{ ticket: 'T-7', hours: 3.5, code: 'capacity', reason: REASON }] },
    ...over,
  });

function panel(client: ClientPlan, you = true) {
  return mount(ClientHoursPanel, { props: { client, quarter, you }, global: { stubs: { ChartFigure: true } } });
}

describe('the client’s at-risk sentence', () => {
  it('presented work left unplanned: which ticket and why, and talk to us; no request to present more', () => {
    const w = panel(unplanned());
    const sentence = w.get('[data-testid="expiry-sentence"]').text();
    expect(sentence).toBe(`5 hours will expire at the end of the quarter. Work you have already presented is not planned in time: T-7 (3.5 h: ${REASON}). Please talk to us about it.`);
    expect(sentence).not.toMatch(/present new tasks|present tasks/);
    expect(w.get('[data-testid="fig-at-risk"]').text()).toContain('work you presented is not planned: talk to us');
    expect(w.get('[data-testid="hours-summary"]').classes()).toContain('warn');
  });

  it('several tickets are listed, each with its reason', () => {
    const c = unplanned({
      advice: {
        cause: 'unplanned-work',
        tickets: [
          { ticket: 'T-7', hours: 3.5, code: 'capacity', reason: REASON },
          { ticket: 'T-9', hours: 2, code: 'no-skill', reason: "no staff with skill 'oracle'" },
        ],
      },
    });
    expect(panel(c).get('[data-testid="expiry-sentence"]').text()).toContain(`T-7 (3.5 h: ${REASON}); T-9 (2 h: no staff with skill 'oracle'). Please talk to us about them.`);
  });

  it('too little presented: present tasks by the present-by week, with its date', () => {
    const w = panel(clientPlan({ atRiskHours: 5, presentByWeek: 3, advice: { cause: 'present-work', tickets: [] } }));
    expect(w.get('[data-testid="expiry-sentence"]').text()).toBe('5 hours will expire at the end of the quarter unless you present new tasks by week 3 (starting 19 Oct) to be done in time.');
    expect(w.get('[data-testid="fig-at-risk"]').text()).toContain('present tasks by week 3, 19 Oct');
  });

  it('nothing at risk says so, whatever the advice', () => {
    const w = panel(clientPlan({ atRiskHours: 0, rolloverHours: 0, forecastUnusedHours: 0, presentByWeek: null, advice: { cause: 'none', tickets: [] } }));
    expect(w.get('[data-testid="expiry-sentence"]').text()).toMatch(/^No hours are set to expire/);
    expect(w.get('[data-testid="fig-at-risk"]').text()).toContain('nothing at risk');
  });

  it('a manager reading a client’s page is told to talk to the client', () => {
    const text = panel(unplanned(), false).get('[data-testid="expiry-sentence"]').text();
    expect(text).toContain('Work Acme Ltd has already presented is not planned in time');
    expect(text).toContain('Talk to Acme Ltd about it.');
  });

  it('says every hour figure in quarter hours', () => {
    const c = unplanned({ atRiskHours: 4.3, rolloverHours: 2.1, boughtHours: 20.13, advice: { cause: 'unplanned-work', tickets: [{ ticket: 'T-7', hours: 0.6, code: 'capacity', reason: REASON }] } });
    const w = panel(c);
    expect(w.get('[data-testid="expiry-sentence"]').text()).toMatch(/^4\.25 hours will expire .* T-7 \(0\.5 h: /);
    expect(w.get('[data-testid="fig-bought"]').text()).toContain('20.25');
    expect(hoursSentences(c, quarter).rollover).toContain('We owe you 2 hours');
  });
});
