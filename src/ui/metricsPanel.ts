/**
 * Metrics per service, as the callers saw them: requests per second, success rate, p50 and p99
 * latency, and a small chart of ok and failed requests over time (failed bars are hatched, so
 * the chart reads without colour too).
 */
import { formatDuration, type MetricsAt } from '../player/index.ts';
import { el, svg } from './dom.ts';

export class MetricsPanel {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private key = '';
  private calls = true;

  constructor() {
    this.body = el('div', {});
    this.root = el('section', { class: 'panel metrics', 'aria-label': 'Metrics', tabindex: '0' }, el('h2', {}, 'Metrics'), this.body);
  }

  /** Whether anything in the scenario sends requests; when nothing does, the panel says so instead of waiting for one. */
  setCalls(calls: boolean): void {
    if (calls === this.calls) return;
    this.calls = calls;
    this.key = '';
  }

  update(m: MetricsAt): void {
    const key = JSON.stringify(m.services.map((s) => [s.service, s.total, s.failed, s.requestsPerSecond]));
    if (key === this.key) return;
    this.key = key;
    if (!m.services.length) {
      this.body.replaceChildren(
        el('p', { class: 'hint' }, this.calls ? 'No request has finished yet.' : 'Nothing in this scenario sends HTTP requests: there are no request metrics.'),
      );
      return;
    }
    const table = el('table', {}, el('thead', {}, el('tr', {}, ...['service', 'req/s', 'success', 'p50', 'p99'].map((h) => el('th', { scope: 'col' }, h)))));
    const tbody = el('tbody');
    const charts: HTMLElement[] = [];
    for (const s of m.services) {
      const pct = s.successRate === null ? '—' : `${(Math.floor(s.successRate * 1000) / 10).toFixed(1)}%`;
      tbody.append(
        el(
          'tr',
          {},
          el('th', { scope: 'row' }, s.service),
          el('td', {}, String(s.requestsPerSecond)),
          el('td', {}, `${pct} (${s.failed} failed)`),
          el('td', {}, s.p50Ms === null ? '—' : `${s.p50Ms} ms`),
          el('td', {}, s.p99Ms === null ? '—' : `${s.p99Ms} ms`),
        ),
      );
      charts.push(
        el(
          'figure',
          { class: 'chart' },
          this.chart(s.history),
          el('figcaption', {}, `${s.service}: requests per ${formatDuration(Math.round(m.bucketMs))} (ok solid, failed hatched)`),
        ),
      );
    }
    table.append(tbody);
    this.body.replaceChildren(table, ...charts);
  }

  private chart(history: { ok: number; failed: number }[]): SVGSVGElement {
    const w = 300;
    const h = 48;
    const max = Math.max(1, ...history.map((b) => b.ok + b.failed));
    const bw = w / history.length;
    const root = svg('svg', { viewBox: `0 0 ${w} ${h}`, width: w, height: h, 'aria-hidden': 'true' });
    const defs = svg('defs');
    const pattern = svg('pattern', { id: 'hatch', width: 4, height: 4, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
    pattern.append(svg('rect', { width: 4, height: 4, fill: '#fbe3d2' }), svg('line', { x1: 0, y1: 0, x2: 0, y2: 4, stroke: '#d55e00', 'stroke-width': 2 }));
    defs.append(pattern);
    root.append(defs);
    history.forEach((b, i) => {
      const okH = (b.ok / max) * (h - 2);
      const failH = (b.failed / max) * (h - 2);
      root.append(svg('rect', { x: i * bw + 1, y: h - okH, width: bw - 2, height: okH, fill: '#009e73' }));
      if (failH) root.append(svg('rect', { x: i * bw + 1, y: h - okH - failH, width: bw - 2, height: failH, fill: 'url(#hatch)', stroke: '#d55e00' }));
    });
    return root;
  }
}
