// The family size report for tools: the same data the Markdown and HTML reports are written from.
import { familyReportData, type FamilyReportInput } from './family-common.js';

export function familyJson(input: FamilyReportInput): string {
  return `${JSON.stringify(familyReportData(input), null, 2)}\n`;
}
