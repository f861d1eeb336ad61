// One run: its header and the controls that apply to its state, the DAG (or a tasks × attempts grid),
// and a side panel for the selected task. Live from the run's event stream, with a poll as a safety net.
import { h, put, api, post, view, badge, fmtTime, fmtMs, duration, relative, page, enc, action, API, FINAL } from './core.js';
import { createDag } from './dag.js';
import { canRetryTask, retryTask } from './retry.js';

// Which control applies in which run state: no Cancel on a finished run, Resume only when paused,
// Retry (a new run reusing what succeeded) only when something did not succeed.
export const CONTROLS = {
  pending: ['cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  failed: ['retry'],
  cancelled: ['retry'],
  timed_out: ['retry'],
  succeeded: [],
};

const EVENTS = ['run_started', 'task_queued', 'task_started', 'task_succeeded', 'task_failed', 'task_retrying', 'task_timed_out', 'task_cancelled',
  'task_skipped', 'task_upstream_failed', 'task_waiting', 'run_finished', 'run_paused', 'run_resumed'];

// Calls refresh when the run changes: its event stream (coalesced), and a poll for proxies that buffer streams.
export function follow(runId, isFinal, refresh) {
  let pending = null;
  const events = new EventSource(`${API}/runs/${enc(runId)}/events`);
  const onEvent = () => { if (!pending) pending = setTimeout(() => { pending = null; refresh().catch(() => {}); }, 150); };
  EVENTS.forEach(k => events.addEventListener(k, onEvent));
  events.addEventListener('run_finished', () => events.close());
  events.onerror = () => events.close();
  page.cleanup.push(() => { events.close(); clearTimeout(pending); });
  page.every(2000, () => { if (!isFinal()) refresh().catch(() => {}); });
}

export async function showRun(runId, query) {
  let run = null, headerKey = '', dag = null, selected = query.get('task');
  let mode = query.get('view') === 'grid' ? 'grid' : 'graph';
  const header = h('div', { class: 'run-header' });
  const message = h('p', { class: 'error', id: 'run-error' });
  const tabs = h('div', { class: 'tabs' });
  const graph = h('div', { class: 'dag', id: 'dag' });
  const grid = h('div', { class: 'grid-view', id: 'grid' });
  const side = h('aside', { class: 'task-panel', id: 'task-panel' }, h('p', { class: 'muted' }, 'Click a task for its attempts and output.'));
  put(view, header, message, tabs, h('div', { class: 'run-body' }, h('div', { class: 'run-main' }, graph, grid), side));

  async function refresh() {
    run = await api(`/runs/${enc(runId)}`);
    renderHeader();
    if (!dag) dag = createDag(graph, run.tasks, { onSelect: select });
    dag.update(run.tasks, selected);
    if (mode === 'grid') renderGrid();
    if (selected) renderTask(false);
  }

  // Approve or Reject a waiting task from the run page (data can be given on the task's page).
  function signalButton(taskId, reject) {
    return action(reject ? 'run-reject' : 'run-approve', reject ? 'Reject' : 'Approve', message, async () => {
      await post(`/runs/${enc(runId)}/tasks/${enc(taskId)}/signal`, { reject, origin: 'dashboard' });
      await refresh();
    });
  }

  function select(taskId) { selected = taskId; dag.update(run.tasks, selected); renderTask(true); }

  function control(name) {
    return action(`run-${name}`, name[0].toUpperCase() + name.slice(1), message, async () => {
      const r = await post(`/runs/${enc(runId)}/${name}`);
      if (name === 'retry') { location.hash = `#/runs/${r.runId}`; return; }
      await refresh();
    });
  }

  function renderTabs() {
    const tab = (name, label) => h('button', { type: 'button', id: `view-${name}`, class: mode === name ? 'tab active' : 'tab', onclick: () => {
      mode = name; renderTabs(); if (mode === 'grid') renderGrid(); else dag?.fit();
    } }, label);
    put(tabs, tab('graph', 'Graph'), tab('grid', 'Grid'));
    graph.hidden = mode !== 'graph';
    grid.hidden = mode !== 'grid';
  }

  // Re-rendered only when something shown changed, so a button is not replaced under the pointer.
  function renderHeader() {
    // The half-minute is part of the key so that "2 min ago" does not stay "just now".
    const key = JSON.stringify([run.state, run.startedAt, run.finishedAt, run.durationMs, Math.floor(Date.now() / 30000)]);
    if (key === headerKey) return;
    headerKey = key;
    const counts = {};
    for (const t of run.tasks) counts[t.state] = (counts[t.state] || 0) + 1;
    put(header,
      h('h1', {}, h('a', { href: `#/workflows/${enc(run.workflow)}` }, run.workflow), ' ', h('span', { id: 'run-state' }, badge(run.state))),
      h('p', { class: 'muted mono' }, run.runId),
      run.parentRunId ? h('p', { id: 'parent-run' }, 'triggered by: parent run ',
        h('a', { href: `#/runs/${enc(run.parentRunId)}/tasks/${enc(run.parentTaskId)}`, class: 'mono' }, run.parentRunId.slice(0, 12)), ` (task ${run.parentTaskId})`) : null,
      h('p', {}, 'Submitted ', relative(run.submittedAt), ' · started ', relative(run.startedAt),
        run.finishedAt ? [' · finished ', relative(run.finishedAt)] : null, ` · took ${fmtMs(run.durationMs)}`),
      h('p', { class: 'task-counts' }, Object.entries(counts).map(([s, n]) => h('span', {}, badge(s), ` ${n} `))),
      Object.keys(run.params).length ? h('p', { class: 'mono' }, Object.entries(run.params).map(([k, v]) => `${k}=${v}`).join('  ')) : null,
      h('div', { class: 'controls', id: 'run-controls' }, (CONTROLS[run.state] || []).map(control)));
  }

  // Airflow's grid: a row per task, a square per attempt coloured by how it ended.
  function renderGrid() {
    const most = Math.max(1, ...run.tasks.map(t => t.attemptHistory.length));
    const cell = (t, a) => h('td', {}, a
      ? h('a', { class: `cell state-${a.outcome ?? 'running'}`, href: `#/runs/${enc(runId)}/tasks/${enc(t.taskId)}`, title: `${t.taskId} attempt ${a.number}: ${a.outcome ?? 'running'}` })
      : null);
    put(grid, h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Task'), h('th', {}, 'State'), Array.from({ length: most }, (_, i) => h('th', {}, `#${i + 1}`)))),
      h('tbody', {}, run.tasks.map(t => h('tr', { 'data-task': t.taskId },
        h('td', {}, h('a', { href: `#/runs/${enc(runId)}/tasks/${enc(t.taskId)}` }, t.taskId)), h('td', {}, badge(t.state)),
        Array.from({ length: most }, (_, i) => cell(t, t.attemptHistory[i])))))));
  }

  async function renderTask(fetchOutput) {
    const t = run.tasks.find(x => x.taskId === selected);
    if (!t) return;
    const output = h('pre', { class: 'output', id: 'task-output' }, t.output ?? '');
    put(side, h('h2', {}, t.taskId, ' ', badge(t.state)),
      h('p', {}, h('a', { href: `#/runs/${enc(runId)}/tasks/${enc(t.taskId)}`, id: 'open-task' }, 'Every attempt →')),
      h('p', {}, `${t.kind} · ${t.attempts} attempt(s) · ${duration(t.startedAt, t.finishedAt)}`),
      t.dependsOn.length ? h('p', { class: 'muted' }, 'after ' + t.dependsOn.join(', ')) : null,
      t.waitReason ? h('p', { class: 'muted' }, t.waitReason) : null,
      t.kind === 'workflow' ? h('ul', { id: 'child-runs' }, (run.children || []).filter(c => c.parentTaskId === t.taskId).map(c =>
        h('li', {}, 'child run ', h('a', { href: `#/runs/${enc(c.runId)}`, class: 'mono' }, c.runId.slice(0, 12)), ' ', c.workflow, ' ', badge(c.state)))) : null,
      t.state === 'waiting' && t.kind === 'wait' ? h('div', { class: 'controls', id: 'wait-controls' },
        signalButton(t.taskId, false), signalButton(t.taskId, true),
        h('a', { href: `#/runs/${enc(runId)}/tasks/${enc(t.taskId)}` }, 'with data…')) : null,
      canRetryTask(run, t) ? retryTask('run-task-retry', runId, t.taskId, message) : null,
      t.error ? h('pre', { class: 'error', id: 'task-error' }, t.error) : null,
      h('table', { class: 'attempts' }, h('thead', {}, h('tr', {}, ['#', 'Outcome', 'Started', 'Took', 'Exit', 'Worker'].map(c => h('th', {}, c)))),
        h('tbody', {}, t.attemptHistory.map(a => h('tr', {}, h('td', {}, a.number), h('td', {}, a.outcome ?? 'running'), h('td', {}, fmtTime(a.startedAt)),
          h('td', {}, duration(a.startedAt, a.finishedAt)), h('td', {}, a.exitCode ?? a.httpStatus ?? '—'), h('td', {}, a.worker ?? '—'))))),
      h('h3', {}, 'Output'), output);
    if (fetchOutput && t.attempts > 0) {
      try { const o = await api(`/runs/${enc(runId)}/tasks/${enc(t.taskId)}/output`); output.textContent = o.output ?? ''; } catch { /* keep the snapshot's */ }
    }
  }

  renderTabs();
  follow(runId, () => run && FINAL.includes(run.state), () => run ? refresh() : Promise.resolve()); // before the first await: a page left while loading stops it
  await refresh();
}
