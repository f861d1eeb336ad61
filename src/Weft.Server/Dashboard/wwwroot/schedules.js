// Schedules of registered workflows: next ticks, last tick and its run, pause / resume, trigger now.
import { h, put, api, post, view, relative, fmtTime, page, enc, action } from './core.js';

export async function showSchedules() {
  const message = h('p', { class: 'error', id: 'schedule-error' });
  const started = h('p', { id: 'schedule-started' });
  const body = h('tbody', { id: 'schedules-body' });
  let key = '';
  put(view, h('h1', {}, 'Schedules'), message, started,
    h('table', { class: 'schedules', id: 'schedules' },
      h('thead', {}, h('tr', {}, ['Workflow', 'Cron', 'State', 'Next ticks', 'Last tick', 'Last run', ''].map(c => h('th', {}, c)))), body));

  async function load(force) {
    const list = await api('/schedules');
    // Redrawn only when something changed, so a button is not replaced under the pointer.
    const next = JSON.stringify(list);
    if (next === key && !force) return;
    key = next;
    put(body, list.length === 0 ? h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No registered workflow has a schedule.'))
      : list.map(s => h('tr', { 'data-schedule': s.workflow, 'data-paused': String(s.paused) },
        h('td', {}, h('a', { href: `#/workflows/${enc(s.workflow)}` }, s.workflow)),
        h('td', { class: 'mono' }, `${s.cron} (${s.timeZone})`, h('div', { class: 'muted' }, `catch-up: ${s.catchUp}`)),
        h('td', { class: 'schedule-state' }, s.paused ? 'paused' : 'active'),
        h('td', { class: 'next-ticks' }, s.paused ? h('span', { class: 'muted' }, 'none while paused')
          : h('ul', {}, (s.nextTicks?.length ? s.nextTicks : [s.nextTick]).filter(Boolean).map(t => h('li', { title: fmtTime(t) }, relative(t), ` · ${fmtTime(t)}`)))),
        h('td', {}, relative(s.lastTick)),
        h('td', {}, s.lastRunId ? h('a', { href: `#/runs/${s.lastRunId}`, class: 'mono' }, s.lastRunId.slice(0, 12)) : '—'),
        h('td', { class: 'controls' },
          s.paused ? action(`resume-${s.workflow}`, 'Resume', message, () => change(s.workflow, 'resume'))
            : action(`pause-${s.workflow}`, 'Pause', message, () => change(s.workflow, 'pause')),
          action(`trigger-${s.workflow}`, 'Trigger now', message, async () => {
            const r = await post(`/schedules/${enc(s.workflow)}/trigger`);
            put(started, `Started a run of ${s.workflow}: `, h('a', { href: `#/runs/${r.runId}`, id: 'triggered-run', class: 'mono' }, r.runId.slice(0, 12)));
            await load(true);
          })))));
  }

  async function change(name, what) { await post(`/schedules/${enc(name)}/${what}`); await load(true); }

  page.every(5000, () => load(false).catch(() => {})); // before the first await: a page left while loading stops it
  await load(true);
}
