import type { ApiRouter } from '../../http/route';
import { reportHtml, type ReportLanguage } from './html';
import { UptimeReportQuerySchema, UptimeReportSchema, type UptimeReport } from './schemas';
import * as reports from './service';

/** The language each answer's printable page is written in (Accept-Language), kept beside the result. */
const pageLanguage = new WeakMap<UptimeReport, ReportLanguage>();

export function registerReportRoutes(api: ApiRouter): void {
  api.route({
    method: 'get',
    path: '/api/v1/reports/uptime',
    access: 'reports:read',
    tags: ['reports'],
    summary: 'Uptime/SLA report per probe, agent or agent label, excluding maintenance windows',
    description:
      'Counts checks in buckets of one minute (one hour for the part of the range older than the 1 m ' +
      'tier keeps, the range then starting on a whole hour): the 1 m rollup up to its progress, raw ' +
      'results after it. A bucket is left out when an occurrence of a maintenance window overlaps it ' +
      'and covers the probe-agent pair (a window on the probe, on the agent, or on labels the agent has; ' +
      'recurring windows expand by their cron in UTC; a deleted window counts until its deletion). ' +
      'availabilityPct = (up + degraded) / checks × 100 over the remaining checks. downtimeMinutes = Σ over ' +
      'the remaining buckets of (down checks / checks) × the bucket length, the checks of all the ' +
      "item's probe-agent pairs in that bucket together. maintenanceMinutes = the minutes of excluded " +
      "buckets (any of the item's pairs). incidents = incidents about the probe (group=probe) or about the " +
      "group's agents or its probes on those agents, opened within the range; mttrS = the mean of " +
      '(resolved_at − opened_at) of those resolved. latencyP95Ms is over the checks that were not down: ' +
      "exact when the whole range is within raw retention (latencyP95Source 'raw'), else the " +
      "check-weighted mean of the bucket p95s ('rollup'). Accept: text/csv answers one row per item; " +
      'Accept: text/html a printable page (in German with Accept-Language: de).',
    query: UptimeReportQuerySchema,
    responses: {
      200: { description: 'The report', schema: UptimeReportSchema },
    },
    handler: async (ctx, { query }) => {
      const report = await reports.uptimeReport(ctx.state.db, query);
      pageLanguage.set(report, ctx.acceptsLanguages('en', 'de') === 'de' ? 'de' : 'en');
      return report;
    },
    representations: {
      csv: (report: UptimeReport) => reports.reportCsv(report),
      html: (report: UptimeReport) => reportHtml(report, pageLanguage.get(report) ?? 'en'),
    },
  });
}
