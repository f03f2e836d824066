/**
 * @module
 * Reads the cursor of the next page from an RFC 8288 `Link` header.
 */

/** The `cursor` query value of the `rel="next"` link, or null when there is no next page. */
export function nextCursorFromLink(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const [, target = '', params = ''] = match;
    const rels = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(params)?.[1]?.split(/\s+/) ?? [];
    if (!rels.includes('next')) continue;
    // The target may be relative; the base only serves to parse it.
    return new URL(target, 'http://link.invalid/').searchParams.get('cursor');
  }
  return null;
}
