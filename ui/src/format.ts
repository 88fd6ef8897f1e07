// Small formatting helpers every view uses.

export function time(ms: number | string | undefined): string {
  if (ms === undefined || ms === null || ms === '') return '';
  const d = new Date(Number(ms));
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit',
    minute: '2-digit', second: '2-digit' });
}

export function duration(start: number | string | undefined, end: number | string | undefined): string {
  if (!start) return '';
  const ms = (end ? Number(end) : Date.now()) - Number(start);
  if (ms < 0) return '';
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.floor(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function bytes(size: number | string | undefined): string {
  if (size === undefined || size === null || size === '') return '';
  let n = Number(size);
  for (const unit of ['B', 'KB', 'MB', 'GB']) {
    if (n < 1024 || unit === 'GB') return unit === 'B' ? `${n} B` : `${n.toFixed(1)} ${unit}`;
    n /= 1024;
  }
  return '';
}

export function number(value: number | string | undefined): string {
  if (value === undefined || value === null || value === '') return '';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  return Math.abs(n) >= 1e-3 && Math.abs(n) < 1e6 ? n.toPrecision(6).replace(/\.?0+$/, '') : n.toExponential(4);
}
