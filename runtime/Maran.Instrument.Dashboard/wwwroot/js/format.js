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
  const a = Math.abs(n);
  if (a < 1024) return whole.format(n) + ' B';
  if (a < 1024 ** 2) return plain.format(n / 1024) + ' KiB';
  if (a < 1024 ** 3) return plain.format(n / 1024 ** 2) + ' MiB';
  if (a < 1024 ** 4) return plain.format(n / 1024 ** 3) + ' GiB';
  return plain.format(n / 1024 ** 4) + ' TiB';
}

// A value in the unit the health monitor gives it: percent, bytes, bytes_per_second, seconds, celsius, watts, cores.
export function unit(value, name) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  switch (name) {
    case 'percent': return plain.format(value) + '%';
    case 'bytes': return bytes(value);
    case 'bytes_per_second': return bytes(value) + '/s';
    case 'seconds': return ms(value * 1000);
    case 'celsius': return plain.format(value) + ' °C';
    case 'watts': return plain.format(value) + ' W';
    case 'cores': return plain.format(value) + ' cores';
    default: return plain.format(value) + (name ? ' ' + name : '');
  }
}

export function number(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return plain.format(value);
}

// A moment as the page shows it: today's time, or the date and time for another day.
export function moment(value) {
  if (value === null || value === undefined) return '–';
  const d = new Date(value);
  const now = new Date();
  const clock = d.toLocaleTimeString('en-GB', { hour12: false });
  return d.toDateString() === now.toDateString() ? clock : d.toLocaleDateString('en-CA') + ' ' + clock;
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

// US dollars: cents for amounts of a dollar or more, enough digits to read small amounts (a call costs fractions of a
// cent). Null is no figure at all (a model without a price), never zero.
const dollars = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const small = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 4 });
const tiny = new Intl.NumberFormat('en', { maximumSignificantDigits: 3 });

export function usd(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (value === 0) return '$0.00';
  const sign = value < 0 ? '-' : '';
  const a = Math.abs(value);
  return sign + '$' + (a >= 1 ? dollars.format(a) : a >= 0.01 ? small.format(a) : tiny.format(a));
}

// A window of hours as the page names it: "24 hours", "7 days".
export function hours(n) {
  if (n % 24 === 0 && n >= 48) return `${n / 24} days`;
  return n === 1 ? '1 hour' : `${n} hours`;
}
