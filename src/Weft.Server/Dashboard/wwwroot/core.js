// What every page shares: building elements, calling the API, formatting times and states.
// Every element is built with h() (text nodes, never innerHTML), so outputs and names cannot inject markup.

export const API = document.querySelector('meta[name="weft-api"]').content;
export const view = document.getElementById('view');

const SVG = new Set(['svg', 'g', 'rect', 'text', 'path', 'polyline', 'line', 'title']);

export function h(tag, attrs, ...children) {
  const el = SVG.has(tag) ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v); else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

// replaceChildren would print a null child as the text "null".
export const put = (el, ...children) => el.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined));

export const session = { info: { readOnly: true, tokenRequired: false } };
export const token = () => sessionStorage.getItem('weft-token');
export const canChange = () => !session.info.readOnly && (!session.info.tokenRequired || !!token());

export async function api(path, options = {}) {
  const headers = { 'Accept': 'application/json', ...(options.headers || {}) };
  if (options.method && options.method !== 'GET') {
    headers['X-Weft-Request'] = '1';
    if (token()) headers['Authorization'] = 'Bearer ' + token();
  }
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    options = { ...options, body: JSON.stringify(options.json) };
  }
  const res = await fetch(API + path, { ...options, headers });
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  if (!res.ok) {
    const fields = body?.errors ? Object.entries(body.errors).map(([k, v]) => `${k}: ${[].concat(v).join('; ')}`).join('\n') : '';
    throw new Error(fields || body?.detail || body?.title || res.statusText);
  }
  return body;
}

export const post = (path, json) => api(path, { method: 'POST', json });

export const fmtTime = t => t ? new Date(t).toLocaleString() : '—';
export const fmtMs = ms => ms === null || ms === undefined ? '—' : ms < 1000 ? `${Math.round(ms)} ms` : ms < 120000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60000).toFixed(1)} min`;
export const duration = (a, b) => a && b ? fmtMs(new Date(b) - new Date(a)) : '—';

// "3 min ago" / "in 2 h", with the exact time on hover.
export function relative(t) {
  if (!t) return h('span', { class: 'muted' }, '—');
  const s = Math.round((new Date(t) - Date.now()) / 1000), a = Math.abs(s);
  const text = a < 45 ? 'just now' : a < 5400 ? `${Math.round(a / 60)} min` : a < 129600 ? `${Math.round(a / 3600)} h` : `${Math.round(a / 86400)} d`;
  return h('time', { datetime: t, title: fmtTime(t) }, a < 45 ? text : s < 0 ? `${text} ago` : `in ${text}`);
}

export const badge = state => h('span', { class: `badge state-${state}` }, state);
export const FINAL = ['succeeded', 'failed', 'cancelled', 'timed_out'];
export const RUN_STATES = ['pending', 'running', 'paused', 'succeeded', 'failed', 'cancelled', 'timed_out'];
export const enc = encodeURIComponent;

// Timers and streams a page opened, stopped when the user leaves it.
export const page = {
  cleanup: [],
  every(ms, fn) { const id = setInterval(fn, ms); this.cleanup.push(() => clearInterval(id)); },
  leave() { this.cleanup.forEach(f => f()); this.cleanup = []; },
};

// A button that runs an action, shows its error in `message`, and is disabled when changes are not allowed.
export function action(id, label, message, run) {
  return h('button', { id, disabled: !canChange(), onclick: async e => {
    const button = e.currentTarget;
    message.textContent = '';
    button.disabled = true;
    try { await run(); } catch (err) { message.textContent = err.message; } finally { button.disabled = !canChange(); }
  } }, label);
}
