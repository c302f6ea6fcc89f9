// The usage dashboard: sign in with the master key, then everything comes from the guarded /admin API.
import { admin, ApiError, session } from './api.js';
import { createCharts, showBreakdown, showSeries } from './charts.js';
import { bucketLabel, isoDate } from './format.js';
import { showBreakdownTable, showKeys, showTotals } from './tables.js';

const HOUR = 3600;
const DAY = 86400;
const filters = {
  key: ['Key', 'All keys'],
  group: ['Group', 'All groups'],
  model: ['Model', 'All models'],
  connection: ['Connection', 'All connections'],
  endpoint: ['Endpoint', 'All endpoints'],
};
const filterNames = Object.keys(filters);
const $ = (id) => document.getElementById(id);
let charts = null;
let keyNames = new Map();
let generation = 0;

function showError(element, message) {
  element.textContent = message;
  element.hidden = !message;
}

function setView(signedIn) {
  $('login-view').hidden = signedIn;
  $('dashboard-view').hidden = !signedIn;
  $('sign-out').hidden = !signedIn;
  document.body.dataset.state = signedIn ? 'loading' : 'login';
}

/** The selected range as whole UTC buckets: [from, to) in Unix seconds, and the bucket size the API should use. */
function range() {
  const now = Math.floor(Date.now() / 1000);
  const hourEnd = Math.floor(now / HOUR) * HOUR + HOUR;
  const dayEnd = Math.floor(now / DAY) * DAY + DAY;
  switch ($('range').value) {
    case '24h': return { from: hourEnd - 24 * HOUR, to: hourEnd, interval: 'hour' };
    case '30d': return { from: dayEnd - 30 * DAY, to: dayEnd, interval: 'day' };
    case 'custom': {
      const from = Date.parse($('from').value) / 1000;
      const to = Date.parse($('to').value) / 1000 + DAY;
      if (!(from < to)) return null;
      return { from, to, interval: to - from > 7 * DAY ? 'day' : 'hour' };
    }
    default: return { from: hourEnd - 7 * DAY, to: hourEnd, interval: 'hour' };
  }
}

const keyLabel = (id) => (id === null ? '(no key)' : keyNames.get(id) ?? `config key ${id.slice(0, 8)}`);
// Records written before the proxy recorded the endpoint have none.
const noValue = { endpoint: '(not recorded)' };
const label = (dimension, value) => (dimension === 'key' ? keyLabel(value) : value ?? noValue[dimension] ?? '(none)');

function fillOptions(dimension, rows) {
  const select = $(`filter-${dimension}`);
  const selected = select.value;
  const values = new Set(rows.map((r) => r[dimension]).filter((v) => v !== null));
  if (dimension === 'key') keyNames.forEach((_, id) => values.add(id));
  if (selected) values.add(selected);
  const options = [...values].map((v) => [v, label(dimension, v)]).sort((a, b) => a[1].localeCompare(b[1]));
  select.replaceChildren(select.options[0], ...options.map(([value, text]) => new Option(text, value, false, value === selected)));
}

/** One bucket per step from the range's start, so hours or days without requests show as zero, not as a gap. */
function buckets(r, rows) {
  const step = r.interval === 'hour' ? HOUR : DAY;
  const byStart = new Map(rows.map((row) => [row.start, row]));
  const labels = [];
  const filled = [];
  for (let t = r.from; t < r.to; t += step) {
    labels.push(bucketLabel(t, r.interval));
    filled.push(byStart.get(t) ?? null);
  }
  return { labels, filled };
}

async function refresh() {
  const r = range();
  if (!r) {
    showError($('load-error'), 'Choose a start date before the end date.');
    return;
  }
  const mine = ++generation;
  document.body.dataset.state = 'loading';
  const span = { from: r.from, to: r.to };
  const chosen = Object.fromEntries(filterNames.map((name) => [name, $(`filter-${name}`).value]));
  const by = $('breakdown').value;
  try {
    const [keys, totals, series, breakdown, ...options] = await Promise.all([
      admin('/admin/keys'),
      admin('/admin/usage', { ...span, ...chosen }),
      admin('/admin/usage', { ...span, ...chosen, interval: r.interval }),
      admin('/admin/usage', { ...span, ...chosen, group_by: by }),
      ...filterNames.map((name) => admin('/admin/usage', { ...span, group_by: name })),
    ]);
    if (mine !== generation) return; // a newer refresh started; its answers win
    keyNames = new Map(keys.data.map((k) => [k.id, k.name]));
    filterNames.forEach((name, i) => fillOptions(name, options[i].data));
    showTotals(totals.data[0]);
    const { labels, filled } = buckets(r, series.data);
    showSeries(charts, labels, filled);
    const rows = [...breakdown.data].sort((a, b) => b.requests - a.requests);
    const names = rows.map((row) => label(by, row[by]));
    showBreakdown(charts.breakdown, names, rows);
    showBreakdownTable($('breakdown').selectedOptions[0].text, names, rows);
    showKeys(keys.data, (id) => { $('filter-key').value = id; refresh(); });
    showError($('load-error'), '');
    document.body.dataset.state = 'ready';
    document.body.dataset.renders = String(Number(document.body.dataset.renders) + 1);
  } catch (e) {
    if (mine !== generation) return;
    if (e instanceof ApiError && e.status === 401) signOut(e.message);
    else showError($('load-error'), e.message);
    document.body.dataset.state = 'error';
  }
}

function signIn() {
  setView(true);
  charts ??= createCharts(window.Chart);
  refresh();
}

function signOut(message = '') {
  session.key = null;
  setView(false);
  showError($('login-error'), message);
  $('master-key').focus();
}

async function onLogin(event) {
  event.preventDefault();
  const key = $('master-key').value.trim();
  $('login-submit').disabled = true;
  try {
    await admin('/admin/keys', {}, key);
    session.key = key;
    $('master-key').value = '';
    showError($('login-error'), '');
    signIn();
  } catch (e) {
    showError($('login-error'), e.message);
    document.body.dataset.state = 'login-failed';
  } finally {
    $('login-submit').disabled = false;
  }
}

function addFilters() {
  const slot = $('filters');
  for (const [name, [title, all]] of Object.entries(filters)) {
    const field = document.createElement('div');
    field.className = 'field';
    const label = document.createElement('label');
    label.htmlFor = `filter-${name}`;
    label.textContent = title;
    const select = document.createElement('select');
    select.id = `filter-${name}`;
    select.append(new Option(all, ''));
    select.addEventListener('change', refresh);
    field.append(label, select);
    slot.append(field);
  }
}

function start() {
  addFilters();
  $('login-form').addEventListener('submit', onLogin);
  $('sign-out').addEventListener('click', () => signOut());
  $('refresh').addEventListener('click', refresh);
  $('breakdown').addEventListener('change', refresh);
  $('range').addEventListener('change', () => {
    const custom = $('range').value === 'custom';
    document.querySelectorAll('.custom-range').forEach((field) => { field.hidden = !custom; });
    if (custom && !$('from').value) {
      $('to').value = isoDate(Date.now());
      $('from').value = isoDate(Date.now() - 6 * DAY * 1000);
    }
    refresh();
  });
  $('from').addEventListener('change', refresh);
  $('to').addEventListener('change', refresh);
  if (session.key) signIn();
}

start();
