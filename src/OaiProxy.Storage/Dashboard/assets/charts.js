// The page's Chart.js charts: created once, then given new data on every refresh.
import { ms, shortCount, usd } from './format.js';

const palette = { blue: '#3867d6', teal: '#20a39e', amber: '#f0a202', red: '#d64545', violet: '#7e57c2', slate: '#64748b' };
const series = [palette.blue, palette.teal, palette.amber, palette.violet, palette.red, palette.slate];

function setDefaults(Chart) {
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#475569';
  Chart.defaults.borderColor = '#e2e8f0';
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
}

// Counts get whole-number ticks (precision 0); Chart.js would otherwise label 0.5 steps as repeated integers.
function timeChart(Chart, id, type, datasets, tick, stacked = false, precision = undefined) {
  return new Chart(document.getElementById(id), {
    type,
    data: { labels: [], datasets },
    options: {
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { display: datasets.length > 1, position: 'bottom' } },
      scales: {
        x: { stacked, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 16 } },
        y: { stacked, beginAtZero: true, ticks: { callback: tick, precision } },
      },
    },
  });
}

const bar = (label, color) => ({ label, data: [], backgroundColor: color, borderRadius: 2 });
const line = (label, color, fill = false) => ({
  label, data: [], borderColor: color, backgroundColor: `${color}22`, fill, tension: 0.25, pointRadius: 0, borderWidth: 2, spanGaps: true,
});

export function createCharts(Chart) {
  setDefaults(Chart);
  return {
    requests: timeChart(Chart, 'chart-requests', 'bar', [bar('Succeeded', palette.blue), bar('Errors', palette.red)], shortCount, true, 0),
    tokens: timeChart(Chart, 'chart-tokens', 'bar', [bar('Input', palette.teal), bar('Output', palette.violet)], shortCount, true, 0),
    cost: timeChart(Chart, 'chart-cost', 'line', [line('Cost', palette.amber, true)], usd),
    latency: timeChart(Chart, 'chart-latency', 'line', [line('Average', palette.blue), line('Max', palette.slate)], ms),
    breakdown: new Chart(document.getElementById('chart-breakdown'), {
      type: 'doughnut',
      data: { labels: [], datasets: [{ label: 'Requests', data: [], backgroundColor: series, borderWidth: 1 }] },
      options: { cutout: '60%', plugins: { legend: { position: 'right' } } },
    }),
  };
}

/** Fills every chart over time from one row per bucket (null where a bucket had no records). */
export function showSeries(charts, labels, rows) {
  const set = (chart, ...columns) => {
    chart.data.labels = labels;
    columns.forEach((column, i) => { chart.data.datasets[i].data = rows.map(column); });
    chart.update();
  };
  set(charts.requests, (r) => (r ? r.requests - r.errors : 0), (r) => (r ? r.errors : 0));
  set(charts.tokens, (r) => (r ? r.prompt_tokens : 0), (r) => (r ? r.completion_tokens : 0));
  set(charts.cost, (r) => (r ? Number(r.cost) : 0));
  set(charts.latency, (r) => r?.latency_ms_avg ?? null, (r) => r?.latency_ms_max ?? null);
}

export function showBreakdown(chart, names, rows) {
  chart.data.labels = names;
  chart.data.datasets[0].data = rows.map((r) => r.requests);
  chart.data.datasets[0].backgroundColor = rows.map((_, i) => series[i % series.length]);
  chart.update();
}
