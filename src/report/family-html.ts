// The family size report as one self-contained HTML file: inline CSS and SVG, no script and nothing
// fetched, so it opens from a CI artifact in any browser. The family tree is drawn as an SVG (one
// `g.node.image` per image, one `g.node.base` per external base), then per-image bars of shared,
// unique and wasted bytes, the changes by what they save, and the base images.
import { PROVENANCES, type Provenance } from '../estimate/types.js';
import { familyReportData, formatBytes, formatShare, provenanceSummary, PROVENANCE_TEXT, type FamilyReportData, type FamilyReportInput } from './family-common.js';

const COL = 230;
const NODE_W = 200;
const NODE_H = 34;
const ROW = 44;
const PAD = 12;

const PROVENANCE_COLOR: Record<Provenance, string> = {
  measured: '#1b7f3b',
  context: '#2f6fb3',
  metadata: '#7a55b0',
  table: '#c07a12',
  heuristic: '#9a9a9a',
};

export function familyHtml(input: FamilyReportInput): string {
  const d = familyReportData(input);
  const t = d.totals;
  const body = [
    `<h1>Image family size report</h1>`,
    `<p class="lede">${t.images} images on ${d.bases.length} external base image${d.bases.length === 1 ? '' : 's'}. Sizes are compressed layer bytes: what a registry stores and a node pulls.</p>`,
    summary(d),
    provenanceBar(d),
    `<h2>Family</h2>`,
    `<div class="tree">${tree(d)}</div>`,
    `<h2>Images</h2>`,
    imageBars(d),
    `<h2>Proposed changes</h2>`,
    changes(d),
    `<h2>Base images</h2>`,
    bases(d),
    notes(d),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Image family size report</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function summary(d: FamilyReportData): string {
  const t = d.totals;
  const card = (label: string, value: string, note = ''): string => `<div class="card"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div>${note ? `<div class="note">${esc(note)}</div>` : ''}</div>`;
  return `<div class="cards">${[
    card('Every image pulled on its own', formatBytes(t.standaloneBytes)),
    card("Unique, with today's sharing", formatBytes(t.uniqueBytes)),
    card('Wasted within the unique bytes', formatBytes(t.wastedBytes), `${formatShare(t.wastedBytes, t.uniqueBytes)} of unique`),
    card('Unique after every proposed change', formatBytes(t.uniqueBytesAfterChanges), `${formatBytes(-t.saveableBytes)} (${formatShare(t.saveableBytes, t.uniqueBytes)} less)`),
  ].join('')}</div>`;
}

function provenanceBar(d: FamilyReportData): string {
  const total = d.totals.uniqueBytes;
  const segments = PROVENANCES.filter((p) => d.provenance[p].bytes > 0).map((p) => {
    const pct = total > 0 ? (d.provenance[p].bytes / total) * 100 : 0;
    return `<span class="seg" style="width:${pct.toFixed(3)}%;background:${PROVENANCE_COLOR[p]}" title="${esc(`${p}: ${formatBytes(d.provenance[p].bytes)}`)}"></span>`;
  });
  const legend = PROVENANCES.map((p) => `<li><span class="swatch" style="background:${PROVENANCE_COLOR[p]}"></span>${esc(p)}: ${esc(PROVENANCE_TEXT[p])}, ${esc(formatShare(d.provenance[p].bytes, total))}</li>`);
  return `<h2>Where the sizes come from</h2><div class="stack" role="img" aria-label="unique bytes by source">${segments.join('')}</div><ul class="legend">${legend.join('')}</ul>`;
}

interface TreeNode {
  id: string;
  label: string;
  sub: string;
  kind: 'base' | 'image';
  children: TreeNode[];
  x: number;
  y: number;
  wasteRatio: number;
}

/** The family as a left-to-right tree: external bases in the first column, each image under what it builds on. */
function tree(d: FamilyReportData): string {
  const byParent = new Map<string, FamilyReportData['images']>();
  for (const img of d.images) {
    const key = img.parent === null ? `base:${img.base}` : `image:${img.parent}`;
    byParent.set(key, [...(byParent.get(key) ?? []), img]);
  }
  const make = (img: FamilyReportData['images'][number], seen: Set<string>): TreeNode => {
    seen.add(img.name);
    const kids = (byParent.get(`image:${img.name}`) ?? []).filter((c) => !seen.has(c.name));
    return {
      id: img.name,
      label: img.name,
      sub: `${formatBytes(img.totalBytes)} · ${formatBytes(img.uniqueBytes)} own`,
      kind: 'image',
      children: kids.map((c) => make(c, seen)),
      x: 0,
      y: 0,
      wasteRatio: img.totalBytes > 0 ? img.wastedBytes / img.totalBytes : 0,
    };
  };
  const seen = new Set<string>();
  const roots: TreeNode[] = d.bases.map((b) => ({
    id: b.ref,
    label: b.ref,
    sub: `${formatBytes(b.bytes)} · ${b.provenance}`,
    kind: 'base' as const,
    children: (byParent.get(`base:${b.ref}`) ?? []).map((img) => make(img, seen)),
    x: 0,
    y: 0,
    wasteRatio: 0,
  }));
  let row = 0;
  let depthMax = 0;
  const place = (n: TreeNode, depth: number): void => {
    n.x = PAD + depth * COL;
    depthMax = Math.max(depthMax, depth);
    if (n.children.length === 0) {
      n.y = PAD + row++ * ROW;
      return;
    }
    for (const c of n.children) place(c, depth + 1);
    n.y = ((n.children[0] as TreeNode).y + (n.children[n.children.length - 1] as TreeNode).y) / 2;
  };
  for (const r of roots) place(r, 0);
  const width = PAD * 2 + depthMax * COL + NODE_W;
  const height = PAD * 2 + Math.max(1, row) * ROW - (ROW - NODE_H);
  const edges: string[] = [];
  const nodes: string[] = [];
  const draw = (n: TreeNode): void => {
    for (const c of n.children) {
      const x1 = n.x + NODE_W;
      const y1 = n.y + NODE_H / 2;
      const x2 = c.x;
      const y2 = c.y + NODE_H / 2;
      const mid = (x1 + x2) / 2;
      edges.push(`<path class="edge" d="M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}"/>`);
      draw(c);
    }
    const waste = n.kind === 'image' && n.wasteRatio > 0 ? `<rect class="waste" x="${n.x}" y="${n.y + NODE_H - 4}" width="${(NODE_W * Math.min(1, n.wasteRatio)).toFixed(1)}" height="4"/>` : '';
    nodes.push(
      `<g class="node ${n.kind}" data-${n.kind}="${esc(n.id)}"><title>${esc(`${n.label}: ${n.sub}`)}</title>` +
        `<rect x="${n.x}" y="${n.y}" width="${NODE_W}" height="${NODE_H}" rx="5"/>${waste}` +
        `<text x="${n.x + 8}" y="${n.y + 14}" class="name">${esc(truncate(n.label, 30))}</text>` +
        `<text x="${n.x + 8}" y="${n.y + 27}" class="sub">${esc(n.sub)}</text></g>`,
    );
  };
  for (const r of roots) draw(r);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="family" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="the image family tree">${edges.join('')}${nodes.join('')}</svg>`;
}

function imageBars(d: FamilyReportData): string {
  const max = Math.max(1, ...d.images.map((i) => i.totalBytes));
  const pct = (n: number): string => `${((Math.max(0, n) / max) * 100).toFixed(3)}%`;
  const rows = [...d.images]
    .sort((a, b) => b.totalBytes - a.totalBytes || a.name.localeCompare(b.name))
    .map((img) => {
      // Waste is drawn apart from the shared and unique bytes it lies in, so the bar adds up to the total.
      const wastedShared = Math.min(img.wastedBytes, img.sharedBytes);
      const wastedUnique = Math.min(img.uniqueBytes, img.wastedBytes - wastedShared);
      const bar =
        `<span class="shared" style="width:${pct(img.sharedBytes - wastedShared)}" title="shared ${esc(formatBytes(img.sharedBytes))}"></span>` +
        `<span class="unique" style="width:${pct(img.uniqueBytes - wastedUnique)}" title="unique ${esc(formatBytes(img.uniqueBytes))}"></span>` +
        `<span class="wasted" style="width:${pct(wastedShared + wastedUnique)}" title="wasted ${esc(formatBytes(img.wastedBytes))}"></span>`;
      return `<tr data-image="${esc(img.name)}"><th scope="row" title="${esc(img.file)}">${esc(img.name)}</th><td class="barcell"><div class="bar">${bar}</div></td><td class="num">${esc(formatBytes(img.totalBytes))}</td><td class="num">${esc(formatBytes(img.sharedBytes))}</td><td class="num">${esc(formatBytes(img.uniqueBytes))}</td><td class="num">${esc(formatBytes(img.wastedBytes))}</td><td class="num">${img.layers}</td></tr>`;
    });
  const legend = `<ul class="legend"><li><span class="swatch shared"></span>shared with another image</li><li><span class="swatch unique"></span>only in this image</li><li><span class="swatch wasted"></span>wasted (caches, copies, deleted files)</li></ul>`;
  return `${legend}<table class="images"><thead><tr><th>image</th><th>bytes</th><th>total</th><th>shared</th><th>unique</th><th>wasted</th><th>layers</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function changes(d: FamilyReportData): string {
  const list = d.savings.changes;
  if (list.length === 0) return '<p>No rule finding proposes a change.</p>';
  const rows = list.map((c, i) => {
    const steps = c.steps.slice(0, 6).map((s) => `${s.file}:${s.line}`).join(', ') + (c.steps.length > 6 ? ` and ${c.steps.length - 6} more` : '');
    return `<tr><td class="num">${i + 1}</td><td>${esc(c.title)}<div class="steps">${esc(steps)}</div></td><td>${esc(c.images.join(', '))}</td><td class="num">${esc(formatBytes(c.bytesSaved))}</td><td class="num">${esc(formatBytes(c.uniqueBytesAfter))}</td><td class="num">${esc(formatBytes(c.standaloneBytesSaved))}</td><td>${esc(provenanceSummary(c.provenance))}</td><td>${esc(c.confidence)}</td></tr>`;
  });
  const c = d.savings.combined;
  return `<table class="changes"><thead><tr><th>#</th><th>change</th><th>images</th><th>saves (unique)</th><th>unique after</th><th>saves (each image alone)</th><th>sizes from</th><th>confidence</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
    `<p>All together: unique bytes ${esc(formatBytes(d.savings.before.uniqueBytes))} → ${esc(formatBytes(c.uniqueBytesAfter))}; every image on its own ${esc(formatBytes(d.savings.before.standaloneBytes))} → ${esc(formatBytes(c.standaloneBytesAfter))}. Changes can overlap, so this is measured with all of them made, not summed.</p>`;
}

function bases(d: FamilyReportData): string {
  const rows = d.bases.map((b) => `<tr><td>${esc(b.ref)}</td><td class="num">${b.images.length}</td><td class="num">${esc(formatBytes(b.bytes))}</td><td>${esc(b.provenance)}</td><td>${esc(b.detail)}</td></tr>`);
  return `<table><thead><tr><th>base</th><th>images</th><th>bytes</th><th>source</th><th>figure</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function notes(d: FamilyReportData): string {
  const items = [...d.sources.notes];
  if (d.sources.packageIndexes.length > 0) items.push(`apt installs sized from ${d.sources.packageIndexes.join(', ')}.`);
  if (d.sources.measured) items.push(`Layers of the built images in ${d.sources.measured} replace the estimates of the steps they map to.`);
  return items.length === 0 ? '' : `<h2>Notes</h2><ul>${items.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`;
}

function truncate(text: string, n: number): string {
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`;
}

/** Text safe in element content and in quoted attributes. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const CSS = `
:root{--shared:#5b8fd6;--unique:#2c4f86;--wasted:#d9534f;--fg:#1d232a;--muted:#5d6670;--line:#d8dde3;--bg:#fff}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:24px auto;max-width:1200px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
.lede{color:var(--muted);margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card .label{color:var(--muted);font-size:12px}.card .value{font-size:22px;font-weight:600}.card .note{color:var(--muted);font-size:12px}
.stack{display:flex;height:14px;border-radius:4px;overflow:hidden;background:#eee}
.seg{display:block;height:100%}
.legend{list-style:none;padding:0;margin:8px 0;display:flex;flex-wrap:wrap;gap:4px 18px;color:var(--muted);font-size:12px}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.swatch.shared,.bar .shared{background:var(--shared)}.swatch.unique,.bar .unique{background:var(--unique)}.swatch.wasted,.bar .wasted{background:var(--wasted)}
.tree{overflow:auto;border:1px solid var(--line);border-radius:8px;max-height:80vh}
svg.family .edge{fill:none;stroke:#9aa6b2;stroke-width:1.2}
svg.family .node rect{stroke-width:1}
svg.family .node.image rect{fill:#eef4fc;stroke:#5b8fd6}
svg.family .node.base rect{fill:#fdf3e4;stroke:#c07a12}
svg.family .node rect.waste{fill:var(--wasted);stroke:none}
svg.family text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;fill:var(--fg)}
svg.family text.sub{font-size:10.5px;fill:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{color:var(--muted);font-weight:600}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
table.images th[scope=row]{font-weight:500;white-space:nowrap}
td.barcell{width:45%}
.bar{display:flex;height:12px;margin-top:3px;background:#f3f5f7;border-radius:3px;overflow:hidden}
.bar span{display:block;height:100%}
.steps{color:var(--muted);font-size:12px}
@media (prefers-color-scheme: dark){:root{--fg:#e6e9ed;--muted:#a3acb6;--line:#39414a;--bg:#15191d}svg.family .node.image rect{fill:#1f2c3c}svg.family .node.base rect{fill:#3a2c17}.bar,.stack{background:#252b31}}
`;
