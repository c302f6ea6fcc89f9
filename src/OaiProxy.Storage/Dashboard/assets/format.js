// Number, money, duration and time formats used across the page (times are UTC, as the server buckets them).
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export const count = (n) => integer.format(n ?? 0);

export const shortCount = (n) => (Math.abs(n ?? 0) < 10000 ? integer.format(n ?? 0) : compact.format(n));

export function usd(value) {
  const v = Number(value ?? 0);
  // Per-request costs are often fractions of a cent; show them instead of $0.00.
  const digits = v !== 0 && Math.abs(v) < 1 ? 4 : 2;
  return `$${v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

export function ms(value) {
  if (value === null || value === undefined) return '–';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

const pad = (n) => String(n).padStart(2, '0');

export function bucketLabel(seconds, interval) {
  const d = new Date(seconds * 1000);
  const day = `${months[d.getUTCMonth()]} ${d.getUTCDate()}`;
  return interval === 'hour' ? `${day} ${pad(d.getUTCHours())}:00` : day;
}

export function dateTime(seconds) {
  if (!seconds) return '–';
  const d = new Date(seconds * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function isoDate(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
