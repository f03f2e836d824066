import { describe, expect, it } from 'vitest';
import { nextCursorFromLink } from './linkHeader';

describe('nextCursorFromLink', () => {
  it('reads the cursor of the rel="next" link', () => {
    expect(nextCursorFromLink('</api/jobmanager/jobs?limit=2&cursor=abc%3D>; rel="next"')).toBe(
      'abc=',
    );
  });

  it('picks next among several links and accepts unquoted and multi-valued rel', () => {
    const link = '<http://h/jobs?cursor=first>; rel="first", <http://h/jobs?cursor=n2>; rel=next';
    expect(nextCursorFromLink(link)).toBe('n2');
    expect(nextCursorFromLink('<http://h/x?cursor=z>; rel="prefetch next"')).toBe('z');
  });

  it('answers null without a header or without a next link', () => {
    expect(nextCursorFromLink(null)).toBeNull();
    expect(nextCursorFromLink('<http://h/jobs?cursor=p>; rel="prev"')).toBeNull();
  });
});
