// The printable uptime report: one standalone page (inline CSS with print rules, no scripts), every value
// HTML-escaped, in English or German.
import type { UptimeReport, UptimeReportItem } from './schemas';

export type ReportLanguage = 'en' | 'de';

const TEXT = {
  en: {
    title: 'Uptime report',
    range: 'Range',
    group: 'Grouped by',
    groups: { probe: 'probe', agent: 'agent', label: 'agent label' },
    generated: 'Generated',
    totals: 'Totals',
    name: 'Name',
    probes: 'Probes',
    availability: 'Availability',
    checks: 'Checks',
    downChecks: 'Down checks',
    downtime: 'Downtime (min)',
    maintenance: 'Maintenance (min)',
    incidents: 'Incidents',
    mttr: 'MTTR',
    p95: 'Latency p95',
    none: 'No checks in this range.',
    sources: {
      raw: 'Latency p95: exact, from every check.',
      rollup: 'Latency p95: check-weighted mean of the per-minute (per-hour on the hour tier) p95 values.',
    },
    notes:
      'Availability counts degraded checks as up. Buckets overlapping a maintenance window are excluded. ' +
      'Downtime: the share of down checks per minute, summed.',
  },
  de: {
    title: 'Verfügbarkeitsbericht',
    range: 'Zeitraum',
    group: 'Gruppiert nach',
    groups: { probe: 'Prüfung', agent: 'Agent', label: 'Agent-Label' },
    generated: 'Erstellt',
    totals: 'Gesamt',
    name: 'Name',
    probes: 'Prüfungen',
    availability: 'Verfügbarkeit',
    checks: 'Checks',
    downChecks: 'Ausgefallene Checks',
    downtime: 'Ausfallzeit (min)',
    maintenance: 'Wartung (min)',
    incidents: 'Vorfälle',
    mttr: 'MTTR',
    p95: 'Latenz p95',
    none: 'Keine Checks in diesem Zeitraum.',
    sources: {
      raw: 'Latenz p95: exakt, aus allen Checks.',
      rollup:
        'Latenz p95: nach Checks gewichteter Mittelwert der p95-Werte je Minute (je Stunde in der Stundenstufe).',
    },
    notes:
      'Die Verfügbarkeit zählt eingeschränkte Checks als verfügbar. Zeitabschnitte, die ein Wartungsfenster ' +
      'berühren, sind ausgenommen. Ausfallzeit: Anteil ausgefallener Checks je Minute, aufsummiert.',
  },
} as const;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const STYLE = `
  body { font: 13px/1.4 system-ui, sans-serif; color: #111; margin: 24px; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  .meta { color: #444; margin: 0 0 16px; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 16px; }
  th, td { border-bottom: 1px solid #ccc; padding: 4px 6px; text-align: right; white-space: nowrap; }
  th:first-child, td:first-child { text-align: left; white-space: normal; }
  thead th { background: #f0f0f0; }
  tfoot td { font-weight: bold; border-top: 2px solid #888; }
  .bad { color: #a40000; }
  .note { color: #555; font-size: 11px; }
  @media print {
    body { margin: 0; }
    thead { display: table-header-group; }
    tr { page-break-inside: avoid; }
    thead th { background: none; }
  }
`;

function formats(language: ReportLanguage) {
  const locale = language === 'de' ? 'de-DE' : 'en-GB';
  const num = (digits: number) =>
    new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const pct = num(3);
  const one = num(1);
  return {
    int: (v: number) => int.format(v),
    pct: (v: number | null) => (v === null ? '–' : `${pct.format(v)} %`),
    minutes: (v: number) => one.format(v),
    ms: (v: number | null) => (v === null ? '–' : `${one.format(v)} ms`),
    duration: (s: number | null) => {
      if (s === null) return '–';
      if (s < 60) return `${one.format(s)} s`;
      if (s < 3600) return `${one.format(s / 60)} min`;
      return `${one.format(s / 3600)} h`;
    },
    date: (iso: string) =>
      new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(
        new Date(iso),
      ) + ' UTC',
  };
}

type Figures = Omit<UptimeReportItem, 'key' | 'name'>;

export function reportHtml(report: UptimeReport, language: ReportLanguage = 'en', threshold = 99.9): string {
  const t = TEXT[language];
  const f = formats(language);
  const withProbes = report.group !== 'probe';
  const cells = (x: Figures) => {
    const low = x.availabilityPct !== null && x.availabilityPct < threshold;
    const values = [
      ...(withProbes ? [f.int(x.probeCount ?? 0)] : []),
      f.pct(x.availabilityPct),
      f.int(x.checks),
      f.int(x.downChecks),
      f.minutes(x.downtimeMinutes),
      f.minutes(x.maintenanceMinutes),
      f.int(x.incidents),
      f.duration(x.mttrS),
      f.ms(x.latencyP95Ms),
    ];
    const availabilityAt = withProbes ? 1 : 0;
    return values
      .map((v, i) => `<td${i === availabilityAt && low ? ' class="bad"' : ''}>${escapeHtml(v)}</td>`)
      .join('');
  };
  const range = `${f.date(report.from)} – ${f.date(report.to)}`;
  const group = report.group === 'label' ? `${t.groups.label} ${report.label ?? ''}` : t.groups[report.group];
  const head = [
    t.name,
    ...(withProbes ? [t.probes] : []),
    t.availability,
    t.checks,
    t.downChecks,
    t.downtime,
    t.maintenance,
    t.incidents,
    t.mttr,
    t.p95,
  ]
    .map((h) => `<th>${escapeHtml(h)}</th>`)
    .join('');
  const body = report.items
    .map((item) => `<tr><td>${escapeHtml(item.name)}</td>${cells(item)}</tr>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(`${t.title}: ${range}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(t.title)}</h1>
<p class="meta">${escapeHtml(t.range)}: ${escapeHtml(range)} · ${escapeHtml(t.group)}: ${escapeHtml(group)} · ${escapeHtml(t.generated)}: ${escapeHtml(f.date(report.generatedAt))}</p>
${
  report.items.length === 0
    ? `<p>${escapeHtml(t.none)}</p>`
    : `<table>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
<tfoot><tr><td>${escapeHtml(t.totals)}</td>${cells(report.totals)}</tr></tfoot>
</table>`
}
<p class="note">${escapeHtml(t.notes)} ${escapeHtml(t.sources[report.totals.latencyP95Source])}</p>
</body>
</html>
`;
}
