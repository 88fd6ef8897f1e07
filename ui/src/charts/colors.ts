// One colour per run, by its position in the list, shared by every chart and plot that shows the same runs.
const PALETTE = ['#2563eb', '#e4572e', '#17a34a', '#9333ea', '#f59e0b', '#0891b2', '#db2777', '#65a30d', '#7c3aed',
  '#475569'];

export function runColor(index: number): string {
  if (index < PALETTE.length) return PALETTE[index];
  // Past the palette: hues spread by the golden angle so neighbours stay apart.
  return `hsl(${Math.round((index * 137.508) % 360)}, 65%, 45%)`;
}
