/**
 * @module
 * A self-contained API docs page: it loads nothing from the internet, it
 * fetches the OpenAPI document and renders every operation with its
 * parameters and responses.
 */

/** HTML of the docs page for the document at `specUrl`. */
export function docsPage(specUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>FlinkNet JobManager API</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:960px;padding:0 1rem;color:#222}
h2{margin-top:2rem;border-bottom:1px solid #ddd} .op{margin:.5rem 0;padding:.5rem;border:1px solid #eee;border-radius:4px}
.m{display:inline-block;width:4.5rem;font-weight:bold;text-transform:uppercase} code{background:#f5f5f5;padding:0 .25rem}
.get{color:#0a6}.post{color:#06c}.put{color:#a60}.delete{color:#c33} small{color:#666}
</style></head>
<body><h1>FlinkNet JobManager API</h1><p>OpenAPI document: <a href="${specUrl}">${specUrl}</a></p><div id="ops">Loading…</div>
<script>
fetch(${JSON.stringify(specUrl)}).then(r => r.json()).then(doc => {
  const esc = s => String(s ?? '').replace(/[&<>"]/g, ch => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[ch]));
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(item)) {
    (byTag[(op.tags || ['other'])[0]] ||= []).push({ path, method, op });
  }
  document.getElementById('ops').innerHTML = Object.entries(byTag).map(([tag, ops]) => '<h2>' + esc(tag) + '</h2>' +
    ops.map(({ path, method, op }) => '<div class="op"><span class="m ' + method + '">' + method + '</span><code>' + esc(path) +
      '</code> <small>' + esc(op.operationId) + '</small><div>' + esc(op.summary) + '</div><small>params: ' +
      esc((op.parameters || []).map(p => p.in + ':' + p.name).join(', ') || 'none') + ' · responses: ' +
      esc(Object.keys(op.responses || {}).join(', ')) + '</small></div>').join('')).join('');
}).catch(e => { document.getElementById('ops').textContent = 'Could not load the OpenAPI document: ' + e; });
</script></body></html>`;
}
