// Weft dashboard: vanilla JS over the REST API. Every element is built with h() (text nodes, never
// innerHTML), so outputs and names cannot inject markup.
'use strict';
const API = document.querySelector('meta[name="weft-api"]').content;
const view = document.getElementById('view');
let info = { readOnly: true, tokenRequired: false };
let cleanup = [];

function h(tag, attrs, ...children) {
  const ns = ['svg', 'g', 'rect', 'text', 'path', 'polyline', 'line', 'title'].includes(tag) ? 'http://www.w3.org/2000/svg' : null;
  const el = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v); else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

// replaceChildren would print a null child as the text "null".
const put = (el, ...children) => el.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined));

const token = () => sessionStorage.getItem('weft-token');
const canChange = () => !info.readOnly && (!info.tokenRequired || !!token());

async function api(path, options = {}) {
  const headers = { 'Accept': 'application/json', ...(options.headers || {}) };
  if (options.method && options.method !== 'GET') {
    headers['X-Weft-Request'] = '1';
    if (token()) headers['Authorization'] = 'Bearer ' + token();
  }
  const res = await fetch(API + path, { ...options, headers });
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  if (!res.ok) throw new Error(body?.detail || body?.title || res.statusText);
  return body;
}

const fmtTime = t => t ? new Date(t).toLocaleString() : '—';
const fmtMs = ms => ms === null || ms === undefined ? '—' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
const duration = (a, b) => a && b ? fmtMs(new Date(b) - new Date(a)) : '—';
const badge = state => h('span', { class: `badge state-${state}` }, state);
const FINAL = ['succeeded', 'failed', 'cancelled', 'timed_out'];

function every(ms, fn) { const id = setInterval(fn, ms); cleanup.push(() => clearInterval(id)); }

// ---- Runs list -----------------------------------------------------------------------------
const filters = { workflow: '', state: '', since: '', until: '', q: '', offset: 0 };

async function showRuns() {
  const list = h('tbody', { id: 'runs-body' });
  const pager = h('div', { class: 'pager' });
  const form = h('form', { id: 'filters', class: 'filters', onsubmit: e => { e.preventDefault(); readFilters(form); filters.offset = 0; load(); } },
    h('input', { name: 'q', placeholder: 'Search id or workflow', value: filters.q }),
    h('input', { name: 'workflow', placeholder: 'Workflow', value: filters.workflow }),
    h('select', { name: 'state' }, ['', 'pending', 'running', 'paused', 'succeeded', 'failed', 'cancelled', 'timed_out']
      .map(s => h('option', { value: s, selected: s === filters.state }, s || 'any state'))),
    h('label', {}, 'since ', h('input', { name: 'since', type: 'datetime-local', value: filters.since })),
    h('label', {}, 'until ', h('input', { name: 'until', type: 'datetime-local', value: filters.until })),
    h('button', { type: 'submit' }, 'Filter'));
  put(view, h('h1', {}, 'Runs'), form, submitPanel(),
    h('table', { class: 'runs' }, h('thead', {}, h('tr', {}, ['Run', 'Workflow', 'State', 'Submitted', 'Duration'].map(c => h('th', {}, c)))), list), pager);

  async function load() {
    const p = new URLSearchParams({ limit: 50, offset: filters.offset });
    for (const k of ['workflow', 'state', 'q']) if (filters[k]) p.set(k, filters[k]);
    for (const k of ['since', 'until']) if (filters[k]) p.set(k, new Date(filters[k]).toISOString());
    const page = await api('/runs?' + p);
    put(list, ...page.items.map(r => h('tr', { 'data-run': r.runId },
      h('td', {}, h('a', { href: `#/runs/${r.runId}`, class: 'mono' }, r.runId.slice(0, 12))),
      h('td', {}, r.workflow), h('td', {}, badge(r.state)), h('td', {}, fmtTime(r.submittedAt)), h('td', {}, duration(r.startedAt, r.finishedAt)))));
    if (page.items.length === 0) put(list, h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No runs match.')));
    put(pager, 
      h('button', { disabled: filters.offset === 0, onclick: () => { filters.offset = Math.max(0, filters.offset - 50); load(); } }, '← Newer'),
      h('span', { class: 'muted' }, ` ${filters.offset + 1}–${filters.offset + page.items.length} `),
      h('button', { disabled: !page.hasMore, onclick: () => { filters.offset += 50; load(); } }, 'Older →'));
  }
  await load();
  every(3000, () => load().catch(() => {}));
}

function readFilters(form) { for (const k of ['workflow', 'state', 'since', 'until', 'q']) filters[k] = form.elements[k].value.trim(); }

function submitPanel() {
  if (!canChange()) return null;
  const text = h('textarea', { id: 'definition', rows: 6, placeholder: 'name: hello\ntasks:\n  greet:\n    shell: echo hi' });
  const error = h('pre', { class: 'error', id: 'submit-error' });
  return h('details', { class: 'panel' }, h('summary', {}, 'New run'), text,
    h('button', { id: 'submit-run', onclick: async () => {
      error.textContent = '';
      try { const r = await api('/runs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ definition: text.value }) }); location.hash = `#/runs/${r.runId}`; }
      catch (e) { error.textContent = e.message; }
    } }, 'Submit'), error);
}

// ---- One run: the DAG by levels ---------------------------------------------------------------
async function showRun(runId) {
  let run = null, selected = null, headerKey = '', dagKey = '';
  const header = h('div', { class: 'run-header' });
  const dag = h('div', { class: 'dag', id: 'dag' });
  const side = h('aside', { class: 'task-panel', id: 'task-panel' }, h('p', { class: 'muted' }, 'Click a task for its attempts and output.'));
  const message = h('p', { class: 'error', id: 'run-error' });
  put(view, header, message, h('div', { class: 'run-body' }, dag, side));

  async function refresh() {
    run = await api(`/runs/${runId}`);
    renderHeader(); renderDag();
    if (selected) renderTask(selected, false);
  }

  function control(action) {
    return h('button', { id: `run-${action}`, disabled: !canChange(), onclick: async () => {
      message.textContent = '';
      try {
        const r = await api(`/runs/${runId}/${action}`, { method: 'POST' });
        if (action === 'retry') { location.hash = `#/runs/${r.runId}`; return; }
        await refresh();
      } catch (e) { message.textContent = e.message; }
    } }, action[0].toUpperCase() + action.slice(1));
  }

  // Re-rendered only when something shown changed, so a button is not replaced under the pointer.
  function renderHeader() {
    const key = JSON.stringify([run.state, run.startedAt, run.finishedAt, run.durationMs]);
    if (key === headerKey) return;
    headerKey = key;
    put(header, 
      h('h1', {}, run.workflow, ' ', h('span', { id: 'run-state' }, badge(run.state))),
      h('p', { class: 'muted mono' }, run.runId),
      h('p', {}, `Submitted ${fmtTime(run.submittedAt)} · started ${fmtTime(run.startedAt)} · took ${fmtMs(run.durationMs)}`),
      Object.keys(run.params).length ? h('p', { class: 'mono' }, Object.entries(run.params).map(([k, v]) => `${k}=${v}`).join('  ')) : null,
      h('div', { class: 'controls' }, ['cancel', 'pause', 'resume', 'retry'].map(control)));
  }

  function renderDag() {
    const key = JSON.stringify([selected, run.tasks.map(t => t.state)]);
    if (key === dagKey) return;
    dagKey = key;
    const W = 170, H = 38, GX = 60, GY = 18;
    const levels = [];
    for (const t of run.tasks) (levels[t.level] ||= []).push(t);
    const pos = {};
    levels.forEach((ts, x) => ts.forEach((t, y) => { pos[t.taskId] = { x: 10 + x * (W + GX), y: 10 + y * (H + GY) }; }));
    const width = 20 + levels.length * (W + GX), height = 20 + Math.max(1, ...levels.map(l => l.length)) * (H + GY);
    const edges = run.tasks.flatMap(t => t.dependsOn.filter(d => pos[d]).map(d => {
      const a = pos[d], b = pos[t.taskId];
      return h('path', { class: 'edge', d: `M${a.x + W},${a.y + H / 2} C${a.x + W + GX / 2},${a.y + H / 2} ${b.x - GX / 2},${b.y + H / 2} ${b.x},${b.y + H / 2}` });
    }));
    const nodes = run.tasks.map(t => h('g', { class: `node state-${t.state}${selected === t.taskId ? ' selected' : ''}`, id: `task-${t.taskId}`,
      'data-task': t.taskId, 'data-state': t.state, transform: `translate(${pos[t.taskId].x},${pos[t.taskId].y})`, onclick: () => renderTask(t.taskId, true) },
      h('title', {}, `${t.taskId}: ${t.state}`), h('rect', { width: W, height: H, rx: 6 }),
      h('text', { x: 10, y: 16 }, t.taskId.length > 20 ? t.taskId.slice(0, 19) + '…' : t.taskId), h('text', { x: 10, y: 31, class: 'sub' }, `${t.kind} · ${t.state}`)));
    put(dag, h('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'task graph' }, edges, nodes));
  }

  async function renderTask(taskId, fetchOutput) {
    selected = taskId;
    const t = run.tasks.find(x => x.taskId === taskId);
    if (!t) return;
    renderDag();
    const output = h('pre', { class: 'output', id: 'task-output' }, t.output ?? '');
    put(side, h('h2', {}, t.taskId, ' ', badge(t.state)),
      h('p', {}, `${t.kind} · ${t.attempts} attempt(s) · ${duration(t.startedAt, t.finishedAt)}`),
      t.dependsOn.length ? h('p', { class: 'muted' }, 'after ' + t.dependsOn.join(', ')) : null,
      t.error ? h('pre', { class: 'error', id: 'task-error' }, t.error) : null,
      h('table', { class: 'attempts' }, h('thead', {}, h('tr', {}, ['#', 'Outcome', 'Started', 'Took', 'Exit', 'Worker'].map(c => h('th', {}, c)))),
        h('tbody', {}, t.attemptHistory.map(a => h('tr', {}, h('td', {}, a.number), h('td', {}, a.outcome ?? 'running'), h('td', {}, fmtTime(a.startedAt)),
          h('td', {}, duration(a.startedAt, a.finishedAt)), h('td', {}, a.exitCode ?? a.httpStatus ?? '—'), h('td', {}, a.worker ?? '—'))))),
      h('h3', {}, 'Output'), output);
    if (fetchOutput && t.attempts > 0) {
      try { const o = await api(`/runs/${runId}/tasks/${encodeURIComponent(taskId)}/output`); output.textContent = o.output ?? ''; } catch { /* keep the snapshot's */ }
    }
  }

  await refresh();
  let pending = null;
  const events = new EventSource(`${API}/runs/${runId}/events`);
  events.onmessage = null;
  const onEvent = () => { if (!pending) pending = setTimeout(() => { pending = null; refresh().catch(() => {}); }, 150); };
  ['run_started', 'task_queued', 'task_started', 'task_succeeded', 'task_failed', 'task_retrying', 'task_timed_out', 'task_cancelled',
    'task_skipped', 'task_upstream_failed', 'run_finished', 'run_paused', 'run_resumed'].forEach(k => events.addEventListener(k, onEvent));
  events.addEventListener('run_finished', () => events.close());
  events.onerror = () => events.close();
  cleanup.push(() => events.close());
  // A safety net for proxies that buffer the event stream.
  every(2000, () => { if (run && !FINAL.includes(run.state)) refresh().catch(() => {}); });
}

// ---- Workers, queue and throughput -----------------------------------------------------------
const samples = [];
async function showWorkers() {
  const body = h('div', {});
  put(view, h('h1', {}, 'Workers'), body);
  async function load() {
    const [workers, s] = await Promise.all([api('/workers'), api('/status')]);
    samples.push({ queue: s.queuedTotal, tput: s.throughputPerSecond }); if (samples.length > 90) samples.shift();
    put(body, 
      h('table', { class: 'workers', id: 'workers' }, h('thead', {}, h('tr', {}, ['Worker', 'PID', 'Slots', 'Busy', 'Idle', 'Heartbeat'].map(c => h('th', {}, c)))),
        h('tbody', {}, workers.map(w => h('tr', {}, h('td', {}, w.name), h('td', {}, w.pid), h('td', {}, w.slots), h('td', {}, w.busy), h('td', {}, w.idle), h('td', {}, fmtTime(w.heartbeatAt)))))),
      h('div', { class: 'cards' },
        card('Health', s.health + (s.reasons.length ? ': ' + s.reasons.join('; ') : '')), card('Active runs', s.activeRuns),
        card('Queued', Object.entries(s.queueDepth).map(([p, n]) => `${p} ${n}`).join(' · ')), card('Throughput', `${s.throughputPerSecond.toFixed(2)}/s`),
        card('Succeeded / failed', `${s.tasksSucceeded} / ${s.tasksFailed}`), card('Cache hit rate', s.cacheHitRate === null ? '—' : `${(s.cacheHitRate * 100).toFixed(0)}%`),
        card('Memory', `${(s.workingSetBytes / 1048576).toFixed(0)} MiB`)),
      h('div', { class: 'charts' }, chart('Queue depth', samples.map(x => x.queue)), chart('Throughput (tasks/s)', samples.map(x => x.tput))),
      h('h2', {}, 'Alerts'), s.alerts.length ? h('ul', {}, s.alerts.map(a => h('li', {}, a))) : h('p', { class: 'muted' }, 'None.'),
      h('h2', {}, 'Circuit breakers'), Object.keys(s.breakers).length ? h('ul', {}, Object.entries(s.breakers).map(([k, v]) => h('li', {}, `${k}: ${v}`))) : h('p', { class: 'muted' }, 'None.'));
  }
  await load();
  every(2000, () => load().catch(() => {}));
}

const card = (label, value) => h('div', { class: 'card' }, h('div', { class: 'muted' }, label), h('div', { class: 'value' }, value));

function chart(label, values) {
  const W = 360, H = 100, max = Math.max(1, ...values);
  const pts = values.map((v, i) => `${(i / Math.max(1, values.length - 1)) * W},${H - (v / max) * (H - 10)}`).join(' ');
  return h('figure', { class: 'chart' }, h('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}` }, h('polyline', { points: pts })),
    h('figcaption', {}, `${label} (max ${max.toFixed(1)})`));
}

// ---- Routing ------------------------------------------------------------------------------
async function route() {
  cleanup.forEach(f => f()); cleanup = [];
  const [, page, id] = location.hash.split('/');
  try {
    if (page === 'runs' && id) await showRun(decodeURIComponent(id));
    else if (page === 'workers') await showWorkers();
    else await showRuns();
  } catch (e) { put(view, h('p', { class: 'error' }, e.message)); }
}

async function start() {
  info = await api('/info');
  const form = document.getElementById('token-form');
  document.getElementById('mode').textContent = info.readOnly ? 'read-only' : info.tokenRequired && !token() ? 'read-only (no token)' : '';
  form.hidden = info.readOnly || !info.tokenRequired;
  form.addEventListener('submit', e => { e.preventDefault(); sessionStorage.setItem('weft-token', document.getElementById('token').value); location.reload(); });
  window.addEventListener('hashchange', route);
  await route();
}
start();
