/**
 * Conditional GET evaluation per RFC 9110 section 13.2.2: If-None-Match wins over If-Modified-Since, and
 * If-None-Match compares entity tags weakly (13.1.3). Returns true when the client's copy is current (304).
 */
export function isNotModified(
  headers: { ifNoneMatch?: string | undefined; ifModifiedSince?: string | undefined },
  current: { etag: string; lastModified: Date },
): boolean {
  if (headers.ifNoneMatch !== undefined && headers.ifNoneMatch.trim() !== '') {
    const value = headers.ifNoneMatch.trim();
    if (value === '*') return true;
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    return value.split(',').some((tag) => opaque(tag) === opaque(current.etag));
  }
  if (headers.ifModifiedSince !== undefined) {
    const since = Date.parse(headers.ifModifiedSince);
    // An invalid date is ignored (RFC 9110 13.1.3); HTTP dates have one-second resolution.
    if (Number.isNaN(since)) return false;
    return Math.floor(current.lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}
