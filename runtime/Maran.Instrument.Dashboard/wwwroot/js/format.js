// Number formatting shared by the sections.

const compact = new Intl.NumberFormat('en', { maximumFractionDigits: 1, notation: 'compact' });
const plain = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export function count(n) {
  if (n === null || n === undefined) return '–';
  return Math.abs(n) >= 100000 ? compact.format(n) : whole.format(n);
}

export function rate(n) {
  if (n === null || n === undefined) return '–';
  if (n >= 1000) return compact.format(n) + '/s';
  return plain.format(n) + '/s';
}

export function ms(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (value === 0) return '0';
  if (value < 1) return plain.format(value * 1000) + ' µs';
  if (value < 1000) return plain.format(value) + ' ms';
  if (value < 60000) return plain.format(value / 1000) + ' s';
  return plain.format(value / 60000) + ' min';
}

export function percent(fraction) {
  if (fraction === null || fraction === undefined) return '–';
  return plain.format(fraction * 100) + '%';
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  if (n < 1024) return whole.format(n) + ' B';
  if (n < 1024 * 1024) return plain.format(n / 1024) + ' KiB';
  return plain.format(n / 1024 / 1024) + ' MiB';
}

export function duration(seconds) {
  if (!seconds) return '0 s';
  const s = Math.floor(seconds % 60), m = Math.floor(seconds / 60) % 60, h = Math.floor(seconds / 3600);
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

export function time(value) {
  const d = new Date(value);
  return d.toLocaleTimeString('en-GB', { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}
