// Weft dashboard: plain JS modules over the REST API, no build step. Each page has an address a user
// can bookmark: #/runs (with its filters), #/runs/{id}, #/runs/{id}/tasks/{task}, #/workflows,
// #/workflows/{name}, #/schedules, #/workers.
import { h, put, api, view, session, token, page } from './core.js';
import { showRuns } from './runs.js';
import { showRun } from './run.js';
import { showTask } from './task.js';
import { showWorkflows, showWorkflow } from './workflows.js';
import { showSchedules } from './schedules.js';
import { showWorkers } from './workers.js';

// "#/runs/abc/tasks/t1?x=1" → segments ["runs", "abc", "tasks", "t1"] and the query.
function parse() {
  const hash = location.hash.replace(/^#\/?/, '');
  const at = hash.indexOf('?');
  const path = at < 0 ? hash : hash.slice(0, at);
  return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(at < 0 ? '' : hash.slice(at + 1)) };
}

async function route() {
  page.leave();
  const { segments: [section, id, sub, subId], query } = parse();
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.id === `nav-${section || 'runs'}`));
  try {
    if (section === 'runs' && id && sub === 'tasks' && subId) await showTask(id, subId);
    else if (section === 'runs' && id) await showRun(id, query);
    else if (section === 'workflows' && id) await showWorkflow(id, query);
    else if (section === 'workflows') await showWorkflows();
    else if (section === 'schedules') await showSchedules();
    else if (section === 'workers' || section === 'status') await showWorkers();
    else await showRuns(query);
  } catch (e) { put(view, h('p', { class: 'error', id: 'page-error' }, e.message)); }
}

async function start() {
  session.info = await api('/info');
  const form = document.getElementById('token-form');
  document.getElementById('mode').textContent = session.info.readOnly ? 'read-only' : session.info.tokenRequired && !token() ? 'read-only (no token)' : '';
  form.hidden = session.info.readOnly || !session.info.tokenRequired;
  form.addEventListener('submit', e => { e.preventDefault(); sessionStorage.setItem('weft-token', document.getElementById('token').value); location.reload(); });
  window.addEventListener('hashchange', route);
  await route();
}
start();
