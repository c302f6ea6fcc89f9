// Tables and tiles. Every value goes in through textContent, never as HTML.
import { count, dateTime, ms, usd } from './format.js';

export function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

export function setTile(id, value, display, sub) {
  const tile = document.getElementById(id);
  tile.dataset.value = String(value);
  tile.querySelector('.tile-value').textContent = display;
  tile.querySelector('.tile-sub').textContent = sub;
}

export function showTotals(total) {
  const t = total ?? { requests: 0, errors: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost: 0, latency_ms_avg: null };
  setTile('tile-requests', t.requests, count(t.requests), `${count(t.errors)} errors`);
  setTile('tile-tokens', t.total_tokens, count(t.total_tokens), `${count(t.prompt_tokens)} in · ${count(t.completion_tokens)} out`);
  setTile('tile-cost', Number(t.cost), usd(t.cost), t.requests ? `${usd(Number(t.cost) / t.requests)} per request` : '');
  setTile('tile-latency', t.latency_ms_avg ?? '', ms(t.latency_ms_avg), t.latency_ms_max == null ? '' : `max ${ms(t.latency_ms_max)}`);
}

export function showBreakdownTable(title, names, rows) {
  document.getElementById('breakdown-name').textContent = title;
  const body = document.querySelector('#breakdown-table tbody');
  body.replaceChildren();
  rows.forEach((r, i) => {
    const tr = body.insertRow();
    cell(tr, names[i]);
    cell(tr, count(r.requests), 'num');
    cell(tr, count(r.errors), 'num');
    cell(tr, count(r.prompt_tokens), 'num');
    cell(tr, count(r.completion_tokens), 'num');
    cell(tr, usd(r.cost), 'num');
    cell(tr, ms(r.latency_ms_avg), 'num');
  });
  if (rows.length === 0) cell(body.insertRow(), 'No requests in this range.', 'empty').colSpan = 7;
}

function status(key) {
  if (key.revoked_at) return ['Revoked', 'bad'];
  if (!key.active) return ['Expired', 'bad'];
  return ['Active', 'good'];
}

function spend(td, key) {
  const used = Number(key.usage?.period_cost ?? 0);
  if (!key.budget) {
    td.textContent = usd(used);
    return;
  }
  const meter = document.createElement('meter');
  meter.min = 0;
  meter.max = key.budget.amount;
  meter.high = key.budget.amount * 0.8;
  meter.value = Math.min(used, key.budget.amount);
  const text = document.createElement('span');
  text.textContent = `${usd(used)} of ${usd(key.budget.amount)}`;
  td.append(meter, text);
}

export function showKeys(keys, onFilter) {
  const body = document.querySelector('#keys-table tbody');
  body.replaceChildren();
  for (const key of keys) {
    const tr = body.insertRow();
    tr.dataset.keyId = key.id;
    const name = cell(tr, key.name);
    const id = document.createElement('small');
    id.textContent = key.id;
    name.append(id);
    cell(tr, key.group);
    const [label, tone] = status(key);
    cell(tr, label, `status ${tone}`);
    cell(tr, key.rpm == null ? '–' : count(key.rpm), 'num');
    cell(tr, key.tpm == null ? '–' : count(key.tpm), 'num');
    cell(tr, key.max_parallel == null ? '–' : count(key.max_parallel), 'num');
    cell(tr, key.budget ? `${usd(key.budget.amount)} ${key.budget.period}` : '–');
    spend(cell(tr, '', 'spend'), key);
    cell(tr, count(key.usage?.requests ?? 0), 'num');
    cell(tr, dateTime(key.usage?.last_used_at));
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button small';
    button.textContent = 'Filter';
    button.addEventListener('click', () => onFilter(key.id));
    cell(tr, '').append(button);
  }
  if (keys.length === 0) cell(body.insertRow(), 'No stored keys yet. Create one with POST /admin/keys or "oai-proxy keys create".', 'empty').colSpan = 11;
}
