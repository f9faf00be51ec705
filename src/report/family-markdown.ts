// The family size report as GitHub-flavoured Markdown, for a pull request comment or a CI job summary:
// the totals first, then the changes by what they save, then every image in a folded table.
import { PROVENANCES } from '../estimate/types.js';
import { familyReportData, formatBytes, formatShare, provenanceSummary, PROVENANCE_TEXT, type FamilyReportInput } from './family-common.js';

/** Past this many, the smaller changes are summed in one line. */
const MAX_CHANGES = 25;

export function familyMarkdown(input: FamilyReportInput): string {
  const d = familyReportData(input);
  const t = d.totals;
  const lines: string[] = [];
  lines.push('## Image family size report', '');
  const bases = d.bases.length === 1 ? '1 external base image' : `${d.bases.length} external base images`;
  lines.push(`${t.images === 1 ? '1 image' : `${t.images} images`} on ${bases}. Sizes are compressed layer bytes: what a registry stores and a node pulls.`, '');
  lines.push('| | bytes |', '|---|---:|');
  lines.push(`| Every image pulled on its own | ${formatBytes(t.standaloneBytes)} |`);
  lines.push(`| Unique, with today's layer sharing | ${formatBytes(t.uniqueBytes)} |`);
  lines.push(`| Wasted within the unique bytes | ${formatBytes(t.wastedBytes)} (${formatShare(t.wastedBytes, t.uniqueBytes)}) |`);
  lines.push(`| Unique after every proposed change | ${formatBytes(t.uniqueBytesAfterChanges)} (${formatBytes(-t.saveableBytes)}, ${formatShare(t.saveableBytes, t.uniqueBytes)} less) |`);
  lines.push('');
  const shares = PROVENANCES.filter((p) => d.provenance[p].bytes > 0)
    .sort((a, b) => d.provenance[b].bytes - d.provenance[a].bytes)
    .map((p) => `${PROVENANCE_TEXT[p]} ${formatShare(d.provenance[p].bytes, t.uniqueBytes)}`);
  lines.push(`Where the unique bytes' sizes come from: ${shares.join(', ') || 'nothing sized'}.`, '');

  const changes = d.savings.changes.filter((c) => c.bytesSaved > 0);
  lines.push('### Proposed changes', '');
  if (changes.length === 0) lines.push('No rule finding proposes a change that saves unique bytes.', '');
  else {
    lines.push('| # | change | images | saves (unique) | unique after | saves (each image alone) | sizes from | confidence |', '|---:|---|---|---:|---:|---:|---|---|');
    changes.slice(0, MAX_CHANGES).forEach((c, i) => {
      const images = c.images.length > 4 ? `${c.images.slice(0, 3).map(cell).join(', ')} and ${c.images.length - 3} more` : c.images.map(cell).join(', ');
      lines.push(`| ${i + 1} | ${cell(c.title)} | ${images} | ${formatBytes(c.bytesSaved)} | ${formatBytes(c.uniqueBytesAfter)} | ${formatBytes(c.standaloneBytesSaved)} | ${provenanceSummary(c.provenance)} | ${c.confidence} |`);
    });
    const rest = changes.slice(MAX_CHANGES);
    if (rest.length > 0) lines.push('', `${rest.length} more ${rest.length === 1 ? 'change saves' : 'changes save'} ${formatBytes(rest.reduce((s, c) => s + c.bytesSaved, 0))} of unique bytes between them.`);
    lines.push('', 'Changes can overlap (a hoisted step that also leaves a cache), so the total above is measured with all of them made, not summed.', '');
  }
  const none = d.savings.changes.filter((c) => c.bytesSaved <= 0);
  if (none.length > 0) {
    const shown = none.slice(0, 10).map((c) => cell(c.title)).join('; ');
    lines.push(`Saving no unique bytes with today's sharing (they keep layers shared when images are built apart, or save only per image): ${shown}${none.length > 10 ? `; and ${none.length - 10} more` : ''}.`, '');
  }

  lines.push('<details><summary>Per image</summary>', '');
  lines.push('| image | parent | layers | total | shared | unique | wasted |', '|---|---|---:|---:|---:|---:|---:|');
  for (const img of d.images) {
    lines.push(`| ${cell(img.name)} | ${cell(img.parent ?? img.base)} | ${img.layers} | ${formatBytes(img.totalBytes)} | ${formatBytes(img.sharedBytes)} | ${formatBytes(img.uniqueBytes)} | ${formatBytes(img.wastedBytes)} |`);
  }
  lines.push('', '</details>', '');
  lines.push('<details><summary>Base images</summary>', '');
  lines.push('| base | images | bytes | from |', '|---|---:|---:|---|');
  for (const b of d.bases) lines.push(`| ${cell(b.ref)} | ${b.images.length} | ${formatBytes(b.bytes)} | ${b.provenance}: ${cell(b.detail)} |`);
  lines.push('', '</details>', '');
  const notes = [...d.sources.notes];
  if (d.sources.packageIndexes.length > 0) notes.push(`apt installs sized from ${d.sources.packageIndexes.length === 1 ? 'the package index' : `${d.sources.packageIndexes.length} package indexes`} ${d.sources.packageIndexes.map((f) => `\`${f.replace(/`/g, '')}\``).join(', ')}.`);
  if (d.sources.measured) notes.push(`Layers of the built images in \`${d.sources.measured.replace(/`/g, '')}\` replace the estimates of the steps they map to.`);
  for (const n of notes) lines.push(`- ${cell(n)}`);
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** Text safe in a table cell: no pipes, no line breaks, no HTML. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
