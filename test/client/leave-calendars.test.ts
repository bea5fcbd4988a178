// @vitest-environment happy-dom
/**
 * /manager/calendar (issue 13): the holiday and absence calendars with their last read, error and
 * hours off per week; a holiday file uploaded and previewed, an absence feed added for a person,
 * Refresh now, Delete after a confirm; the message when the quarter has no start date. And the
 * words the page and the heatmap use.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { stubServer } from './stub-server.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ICS_MAX_CHARS, type LeaveCalendarRecord } from '../../shared/api/index.ts';
import ManagerCalendars from '../../client/src/views/manager/ManagerCalendars.vue';
import { dayText, leaveNotes, weekHoursText } from '../../client/src/composables/leave-calendars.ts';
import { cellKey } from '../../client/src/composables/pin-data.ts';

const QUARTER = { id: '2026-Q4', startDate: '2026-09-28', weeks: 13 };
const HOLIDAYS: LeaveCalendarRecord = {
  id: 1,
  kind: 'holidays',
  name: 'Company holidays',
  staffId: null,
  url: null,
  source: 'file',
  createdAt: '2026-12-02T09:00:00.000Z',
  lastFetchedAt: '2026-12-02T09:00:00.000Z',
  lastAttemptAt: '2026-12-02T09:00:00.000Z',
  lastError: null,
  dayCount: 3,
  quarter: QUARTER,
  weeks: [
    { week: 1, days: [{ date: '2026-10-07', minutes: null, summary: 'Harvest day' }, { date: '2026-10-10', minutes: null, summary: 'Fair' }], hours: { ana: 6.5, bo: 8 } },
  ],
};
const ABSENCE: LeaveCalendarRecord = {
  ...HOLIDAYS,
  id: 2,
  kind: 'absence',
  name: 'Bo away',
  staffId: 'bo',
  url: 'https://cal.example.com/bo.ics',
  source: 'url',
  lastError: 'the feed answered HTTP 500',
  weeks: [{ week: 2, days: [{ date: '2026-10-12', minutes: null, summary: 'Trip' }], hours: { bo: 8 } }],
};
const STAFF = {
  items: [
    { id: 'ana', name: 'Ana', weeklyHours: 32, skills: [], active: true, version: 1, quarter: QUARTER.id, leave: {} },
    { id: 'bo', name: 'Bo', weeklyHours: 40, skills: [], active: true, version: 1, quarter: QUARTER.id, leave: {} },
  ],
  total: 2,
  nextCursor: null,
};

/** Answers in turn (the last one again once they run out), and the bodies sent. */
function answers(...list: [number, unknown][]) {
  const bodies: unknown[] = [];
  const fn = (body: unknown): [number, unknown] => (bodies.push(body), list.length > 1 ? list.shift()! : list[0]!);
  return Object.assign(fn, { bodies });
}
const ok = (...bodies: unknown[]) => answers(...bodies.map((b): [number, unknown] => [200, b]));
const mountPage = () => mount(ManagerCalendars, { attachTo: document.body, global: { stubs: { teleport: true, RouterLink: { template: '<a><slot /></a>' } } } });

afterEach(() => vi.unstubAllGlobals());

describe('ManagerCalendars', () => {
  it('lists the calendars with their hours per week and a failed refresh', async () => {
    stubServer({ 'GET /api/leave-calendars': ok({ quarter: QUARTER, items: [HOLIDAYS, ABSENCE] }), 'GET /api/staff': ok(STAFF) });
    const w = mountPage();
    await flushPromises();
    const holidays = w.get('[data-testid=calendars-holidays]').text();
    expect(holidays).toContain('Company holidays');
    expect(holidays).toContain('6.5 h Ana, 8 h Bo');
    expect(holidays).toContain('Harvest day');
    expect(holidays).toContain('weekend: nothing off');
    const absences = w.get('[data-testid=calendars-absences]').text();
    expect(absences).toContain('Bo');
    expect(absences).toContain('https://cal.example.com/bo.ics');
    expect(w.get('[data-testid=calendar-error]').text()).toContain('HTTP 500');
    expect(w.find('[data-testid=no-start-date]').exists()).toBe(false);
    w.unmount();
  });

  it('says what to do when the quarter has no start date', async () => {
    stubServer({ 'GET /api/leave-calendars': ok({ quarter: { ...QUARTER, startDate: null }, items: [] }), 'GET /api/staff': ok(STAFF) });
    const w = mountPage();
    await flushPromises();
    expect(w.get('[data-testid=no-start-date]').text()).toMatch(/no start date.*Quarter/s);
    w.unmount();
  });

  it('previews and adds an uploaded holiday file', async () => {
    const add = answers([201, HOLIDAYS]);
    stubServer({
      'GET /api/leave-calendars': ok({ quarter: QUARTER, items: [] }, { quarter: QUARTER, items: [HOLIDAYS] }),
      'GET /api/staff': ok(STAFF),
      'POST /api/leave-calendars/preview': ok({ quarter: QUARTER, dayCount: 3, weeks: HOLIDAYS.weeks }),
      'POST /api/leave-calendars': add,
    });
    const w = mountPage();
    await flushPromises();
    await w.get('[data-testid=from-file]').setValue(true);
    const input = w.get('[data-testid=calendar-file]');
    const file = new File(['BEGIN:VCALENDAR\r\nEND:VCALENDAR'], 'holidays.ics', { type: 'text/calendar' });
    Object.defineProperty(input.element, 'files', { value: [file] });
    await input.trigger('change');
    await flushPromises();
    await w.get('[data-testid=calendar-preview]').trigger('click');
    await flushPromises();
    expect(w.get('[data-testid=preview]').text()).toContain('6.5 h Ana, 8 h Bo');
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(add.bodies).toEqual([{ kind: 'holidays', name: 'holidays', ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR' }]);
    expect(w.get('[data-testid=calendars-holidays]').text()).toContain('Company holidays');
    w.unmount();
  });

  it('says a file too large to send goes as a feed, and sends nothing', async () => {
    const add = answers([201, HOLIDAYS]);
    stubServer({ 'GET /api/leave-calendars': ok({ quarter: QUARTER, items: [] }), 'GET /api/staff': ok(STAFF), 'POST /api/leave-calendars': add });
    const w = mountPage();
    await flushPromises();
    await w.get('[data-testid=from-file]').setValue(true);
    const input = w.get('[data-testid=calendar-file]');
    Object.defineProperty(input.element, 'files', { value: [new File(['x'.repeat(ICS_MAX_CHARS + 1)], 'big.ics')] });
    await input.trigger('change');
    await flushPromises();
    expect(w.get('[data-testid=ics-too-large]').text()).toContain('add it as a feed');
    expect(w.get('[data-testid=calendar-add]').attributes('disabled')).toBeDefined();
    expect(add.bodies).toEqual([]);
    w.unmount();
  });

  it('adds a person’s absence feed and shows the server’s reason next to the address', async () => {
    const add = answers([400, { error: { code: 'validation_failed', message: 'url: the feed answered HTTP 404', details: [{ field: 'url', message: 'the feed answered HTTP 404' }] } }]);
    stubServer({ 'GET /api/leave-calendars': ok({ quarter: QUARTER, items: [] }), 'GET /api/staff': ok(STAFF), 'POST /api/leave-calendars': add });
    const w = mountPage();
    await flushPromises();
    await w.get('[data-testid=kind-absence]').setValue(true);
    await w.get('[data-testid=calendar-staff]').setValue('bo');
    await w.get('[data-testid=calendar-url]').setValue('https://cal.example.com/bo.ics');
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(add.bodies).toEqual([{ kind: 'absence', name: 'Absences of Bo', url: 'https://cal.example.com/bo.ics', staffId: 'bo' }]);
    expect(w.get('[data-testid=url-error]').text()).toBe('the feed answered HTTP 404');
    w.unmount();
  });

  it('refreshes now and deletes after a confirm', async () => {
    const calls = stubServer({
      'GET /api/leave-calendars': ok({ quarter: QUARTER, items: [ABSENCE] }, { quarter: QUARTER, items: [{ ...ABSENCE, lastError: null }] }, { quarter: QUARTER, items: [] }),
      'GET /api/staff': ok(STAFF),
      'POST /api/leave-calendars/2/refresh': ok({ ...ABSENCE, lastError: null }),
      'DELETE /api/leave-calendars/2': ok(null),
    });
    const w = mountPage();
    await flushPromises();
    await w.get('[data-testid=calendar-refresh]').trigger('click');
    await flushPromises();
    expect(calls).toContain('POST /api/leave-calendars/2/refresh');
    expect(w.find('[data-testid=calendar-error]').exists()).toBe(false);
    await w.get('[aria-label="Delete Bo away"]').trigger('click');
    await flushPromises();
    await w.get('[data-testid=calendar-delete]').trigger('click');
    await flushPromises();
    expect(calls).toContain('DELETE /api/leave-calendars/2');
    expect(w.get('[data-testid=calendars-absences]').text()).toContain('None yet');
    w.unmount();
  });
});

describe('leave calendar words', () => {
  it('names days, hours and the heatmap’s notes', () => {
    expect(dayText({ date: '2026-10-07', minutes: null, summary: 'Harvest day' })).toBe('Wed 7 Oct: Harvest day');
    expect(dayText({ date: '2026-10-20', minutes: 29, summary: 'Late call' })).toBe('Tue 20 Oct: Late call (29 min)');
    expect(weekHoursText({ week: 1, days: [], hours: { ana: 8, bo: 8 } }, new Map())).toBe('8 h each');
    const notes = leaveNotes([HOLIDAYS, ABSENCE]);
    expect(notes.get(cellKey('ana', 1))).toBe('Harvest day');
    expect(notes.get(cellKey('bo', 2))).toBe('Trip');
  });
});
