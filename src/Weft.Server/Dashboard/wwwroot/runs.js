// The runs list: counts by state, filters kept in the address (#/runs?state=failed&workflow=x), pages of 50.
import { h, put, api, post, view, badge, relative, duration, canChange, page, RUN_STATES } from './core.js';

const FILTERS = ['q', 'workflow', 'state', 'since', 'until', 'offset'];

export const runsHash = params => {
  const p = new URLSearchParams();
  for (const k of FILTERS) if (params[k]) p.set(k, params[k]);
  const q = p.toString();
  return '#/runs' + (q ? '?' + q : '');
};

export async function showRuns(query) {
  const filters = Object.fromEntries(FILTERS.map(k => [k, query.get(k) || '']));
  const offset = Math.max(0, parseInt(filters.offset, 10) || 0);
  const counts = h('div', { class: 'counts', id: 'run-counts' });
  const list = h('tbody', { id: 'runs-body' });
  const pager = h('div', { class: 'pager' });
  const go = changes => { location.hash = runsHash({ ...filters, offset: '', ...changes }); };
  const form = h('form', { id: 'filters', class: 'filters', onsubmit: e => {
    e.preventDefault();
    go(Object.fromEntries(['q', 'workflow', 'state', 'since', 'until'].map(k => [k, form.elements[k].value.trim()])));
  } },
    h('input', { name: 'q', placeholder: 'Search id or workflow', value: filters.q }),
    h('input', { name: 'workflow', placeholder: 'Workflow', value: filters.workflow }),
    h('select', { name: 'state' }, ['', ...RUN_STATES].map(s => h('option', { value: s, selected: s === filters.state }, s || 'any state'))),
    h('label', {}, 'since ', h('input', { name: 'since', type: 'datetime-local', value: filters.since })),
    h('label', {}, 'until ', h('input', { name: 'until', type: 'datetime-local', value: filters.until })),
    h('button', { type: 'submit' }, 'Filter'),
    Object.values(filters).some(Boolean) ? h('a', { href: '#/runs', id: 'clear-filters' }, 'Clear') : null);
  put(view, h('h1', {}, 'Runs'), counts, form, submitPanel(),
    h('table', { class: 'runs' }, h('thead', {}, h('tr', {}, ['Run', 'Workflow', 'State', 'Submitted', 'Started', 'Duration', 'Triggered by'].map(c => h('th', {}, c)))), list), pager);

  async function load() {
    const p = new URLSearchParams({ limit: 50, offset });
    for (const k of ['workflow', 'state', 'q']) if (filters[k]) p.set(k, filters[k]);
    for (const k of ['since', 'until']) if (filters[k]) p.set(k, new Date(filters[k]).toISOString());
    const [runs, byState] = await Promise.all([api('/runs?' + p), api('/run-counts')]);
    put(counts, RUN_STATES.map(s => h('a', { class: `count${filters.state === s ? ' active' : ''}`, 'data-state': s, href: runsHash({ ...filters, offset: '', state: filters.state === s ? '' : s }) },
      badge(s), h('span', { class: 'n' }, byState[s] ?? 0))));
    put(list, ...runs.items.map(r => h('tr', { 'data-run': r.runId },
      h('td', {}, h('a', { href: `#/runs/${r.runId}`, class: 'mono' }, r.runId.slice(0, 12))),
      h('td', {}, h('a', { href: runsHash({ workflow: r.workflow }) }, r.workflow)), h('td', {}, badge(r.state)),
      h('td', {}, relative(r.submittedAt)), h('td', {}, relative(r.startedAt)), h('td', {}, duration(r.startedAt, r.finishedAt)),
      h('td', { class: 'triggered-by' }, r.parentRunId
        ? ['parent run ', h('a', { href: `#/runs/${r.parentRunId}`, class: 'mono' }, r.parentRunId.slice(0, 12))]
        : r.triggeredBy ?? '—'))));
    if (runs.items.length === 0) put(list, h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No runs match.')));
    put(pager,
      h('a', { class: 'button', href: offset === 0 ? null : runsHash({ ...filters, offset: String(Math.max(0, offset - 50)) }) }, '← Newer'),
      h('span', { class: 'muted' }, ` ${runs.items.length ? offset + 1 : 0}–${offset + runs.items.length} `),
      h('a', { class: 'button', href: runs.hasMore ? runsHash({ ...filters, offset: String(offset + 50) }) : null }, 'Older →'));
  }
  page.every(3000, () => load().catch(() => {})); // before the first await: a page left while loading stops it
  await load();
}

// A run of an inline definition (YAML or JSON); registered workflows start from their own page.
function submitPanel() {
  if (!canChange()) return null;
  const text = h('textarea', { id: 'definition', rows: 6, placeholder: 'name: hello\ntasks:\n  greet:\n    shell: echo hi' });
  const error = h('pre', { class: 'error', id: 'submit-error' });
  return h('details', { class: 'panel' }, h('summary', {}, 'New run from a definition'), text,
    h('button', { id: 'submit-run', onclick: async () => {
      error.textContent = '';
      try { const r = await post('/runs', { definition: text.value, triggeredBy: 'dashboard' }); location.hash = `#/runs/${r.runId}`; } catch (e) { error.textContent = e.message; }
    } }, 'Submit'), error);
}
