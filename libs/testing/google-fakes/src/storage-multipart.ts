export interface MultipartPart {
  headers: Record<string, string>;
  body: Buffer;
}

/** Splits a `multipart/related` body (what a multipart upload sends) into its parts. */
export function parseMultipartRelated(contentType: string, body: Buffer): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) throw new Error(`no boundary in content-type ${contentType}`);
  const delimiter = Buffer.from(`--${marker}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new Error('multipart body has no opening boundary');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break;
    if (body.subarray(pos, pos + 2).toString() === '\r\n') pos += 2;
    const next = body.indexOf(delimiter, pos);
    if (next < 0) throw new Error('multipart body has no closing boundary');
    // A part ends with the CRLF that precedes the next boundary.
    const part = body.subarray(pos, body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next);
    const split = part.indexOf('\r\n\r\n');
    const head = split < 0 ? '' : part.subarray(0, split).toString('utf8');
    const headers: Record<string, string> = {};
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: split < 0 ? part : part.subarray(split + 4) });
    pos = next;
  }
  return parts;
}
