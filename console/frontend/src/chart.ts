// A line chart as SVG: a series of values over time, its axis labelled with the latest and the
// highest value. Small on purpose (no charting library: the bundle stays within its budget).
const SVG = 'http://www.w3.org/2000/svg';

export interface Point {
  at: number; // epoch ms
  value: number;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** The chart of {@code points}, described in words for screen readers by {@code label}. */
export function lineChart(points: Point[], label: string, unit: string): SVGSVGElement {
  const width = 560;
  const height = 140;
  const pad = 28;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart' });
  const latest = points.length ? points[points.length - 1].value : 0;
  const max = Math.max(1e-9, ...points.map((p) => p.value));
  const title = svg('title', {});
  title.textContent = `${label}: now ${format(latest)} ${unit}, highest ${format(max)} ${unit} in the last ${points.length} readings`;
  chart.append(title);
  chart.append(svg('line', { x1: String(pad), y1: String(height - pad), x2: String(width - 4), y2: String(height - pad), class: 'axis' }));
  const top = svg('text', { x: '2', y: '14', class: 'tick' });
  top.textContent = `${format(max)} ${unit}`;
  chart.append(top);
  if (points.length > 1) {
    const first = points[0].at;
    const span = Math.max(1, points[points.length - 1].at - first);
    const path = points.map((p, i) => {
      const x = pad + ((p.at - first) / span) * (width - pad - 4);
      const y = height - pad - (p.value / max) * (height - pad - 20);
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    }).join(' ');
    chart.append(svg('path', { d: path, class: 'series' }));
  }
  const now = svg('text', { x: String(width - 4), y: String(height - 8), class: 'tick', 'text-anchor': 'end' });
  now.textContent = `now ${format(latest)} ${unit}`;
  chart.append(now);
  return chart;
}

function format(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}
