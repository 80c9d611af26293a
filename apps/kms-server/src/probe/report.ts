import type { ProbeReport } from './probe.js';

/** The probe report as text for a person. */
export function formatReport(report: ProbeReport): string {
  const outcomes = Object.entries(report.outcomes)
    .map(([outcome, n]) => `${outcome} ${n}`)
    .join(', ');
  const { p50, p90, p99, max } = report.latencyMs;
  const lines = [
    `target: ${report.target} (${report.kind})`,
    `requests: ${report.requests} in ${report.seconds} s (${report.perSecond}/s)`,
    `latency ms: p50 ${p50}, p90 ${p90}, p99 ${p99}, max ${max}`,
    `outcomes: ${outcomes}`,
    `answers that failed verification: ${report.unverified}`,
    `duplicates reported by the host: ${report.duplicatesReported}`,
    `highest count: ${report.highestCount ?? '-'}`,
  ];
  if (report.stillAnswering !== null)
    lines.push(`still answering afterwards: ${report.stillAnswering ? 'yes' : 'no'}`);
  lines.push(`result: ${report.ok ? 'ok' : 'FAILED'}`);
  return `${lines.join('\n')}\n`;
}
