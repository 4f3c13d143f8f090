import type { CheckStatus, ReportCheck } from './report.js';

const SEVERITY: Record<CheckStatus, number> = { fail: 0, warn: 1, info: 2, pass: 3 };

/** The checks worst first; checks of one status keep the order they were made in. */
export function worstFirst(checks: ReportCheck[]): ReportCheck[] {
  return checks.map((check, order) => ({ check, order }))
    .sort((a, b) => SEVERITY[a.check.status] - SEVERITY[b.check.status] || a.order - b.order)
    .map(({ check }) => check);
}

/** 10 less every check's penalty, never below 0, to one decimal: the report lists what cost what. */
export function scoreOf(checks: ReportCheck[]): number {
  const lost = checks.reduce((sum, check) => sum + check.penalty, 0);
  return Math.max(0, Math.round((10 - lost) * 10) / 10);
}
