/*
 * A byte-level tokenizer for the XML of workbook parts (worksheets, shared strings). It
 * finds tags with `indexOf('<')` over the inflated bytes, hands each tag's name as a byte
 * range to the subclass, and passes text on only while the subclass captures it: the text
 * between other tags (indentation, a whitespace bomb) is skipped as it streams, never kept.
 * No string is made per tag. It checks what a streaming reader must see to trust the data:
 * the document closes its root element (a truncated part is refused), end tags balance,
 * entities are XML's own (a DOCTYPE, and with it entity expansion and XXE, is refused).
 */

/** The part is not the XML it claims to be; the message says why, for people. */
export class XmlSyntaxError extends Error {}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const AMPERSAND = 0x26;
const COLON = 0x3a;

export function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export abstract class XmlScanner {
  /** Elements open now. */
  protected depth = 0;
  /** While true, the text between tags goes to `text()`. */
  protected capturing = false;
  private tail: Buffer | undefined;
  private rootSeen = false;
  private rootClosed = false;

  constructor(
    /** Longest text kept while waiting for its end (a cell's text). */
    private readonly maxTextBytes: number,
    /** Longest tag, comment or processing instruction. */
    private readonly maxTagBytes = 1024 * 1024,
  ) {}

  /** An element opens: `name` is its local name's byte range, attributes run to `attrEnd`. */
  protected abstract open(buf: Buffer, nameStart: number, nameEnd: number, attrEnd: number, selfClosing: boolean): void;
  protected abstract close(buf: Buffer, nameStart: number, nameEnd: number): void;
  /** Captured text, entities still escaped unless `cdata`. */
  protected abstract text(buf: Buffer, start: number, end: number, cdata: boolean): void;
  /** The error for text longer than `maxTextBytes` that has not ended yet. */
  protected abstract textTooLong(bytes: number): Error;

  write(chunk: Buffer): void {
    const buf = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    this.tail = undefined;
    const end = buf.length;
    let i = 0;
    while (i < end) {
      // Text between tags is short (usually none): a loop beats crossing into C++ for
      // indexOf on every tag; long runs (a whitespace bomb) still go to indexOf.
      let lt = i;
      const near = Math.min(end, i + 64);
      while (lt < near && buf[lt] !== LT) lt++;
      if (lt === near) lt = lt === end ? -1 : buf.indexOf(LT, lt);
      if (lt === -1) {
        if (this.capturing) this.keep(buf, i, true);
        return;
      }
      if (lt > i && this.capturing) this.text(buf, i, lt, false);
      if (lt + 1 >= end) return this.keep(buf, lt, false);
      const next = buf[lt + 1];
      if (next === SLASH) {
        let gt = lt + 2;
        while (gt < end && buf[gt] !== GT) gt++;
        if (gt === end) return this.keep(buf, lt, false);
        let nameEnd = gt;
        while (nameEnd > lt + 2 && isSpace(buf[nameEnd - 1])) nameEnd--;
        if (--this.depth < 0) throw new XmlSyntaxError('an end tag closes an element that was never opened');
        if (this.depth === 0) this.rootClosed = true;
        this.close(buf, localName(buf, lt + 2, nameEnd), nameEnd);
        i = gt + 1;
      } else if (next === QUESTION) {
        const close = buf.indexOf('?>', lt + 2, 'latin1');
        if (close === -1) return this.keep(buf, lt, false);
        i = close + 2;
      } else if (next === BANG) {
        const after = this.special(buf, lt);
        if (after === -1) return this.keep(buf, lt, false);
        i = after;
      } else {
        let gt = lt + 1;
        let quote = 0;
        for (; gt < end; gt++) {
          const byte = buf[gt];
          if (quote !== 0) {
            if (byte === quote) quote = 0;
          } else if (byte === GT) break;
          else if (byte === QUOTE || byte === APOSTROPHE) quote = byte!;
        }
        if (gt === end) return this.keep(buf, lt, false);
        let nameEnd = lt + 1;
        while (nameEnd < gt) {
          const byte = buf[nameEnd];
          if (byte === SLASH || isSpace(byte)) break;
          nameEnd++;
        }
        if (nameEnd === lt + 1) throw new XmlSyntaxError('a tag has no name');
        const selfClosing = buf[gt - 1] === SLASH;
        if (this.rootClosed) throw new XmlSyntaxError('an element follows the end of the document');
        this.rootSeen = true;
        if (!selfClosing) this.depth++;
        else if (this.depth === 0) this.rootClosed = true;
        this.open(buf, localName(buf, lt + 1, nameEnd), nameEnd, selfClosing ? gt - 1 : gt, selfClosing);
        i = gt + 1;
      }
    }
  }

  /** The end of the part: anything still open means the XML was cut short. */
  end(): void {
    if (this.tail !== undefined || this.depth !== 0 || !this.rootClosed) {
      throw new XmlSyntaxError(
        this.rootSeen ? 'its XML ends before the document is complete (the part is truncated)' : 'it holds no XML document',
      );
    }
  }

  /** Comments, CDATA sections and the refused DOCTYPE; returns where scanning goes on, or -1 to wait for more bytes. */
  private special(buf: Buffer, lt: number): number {
    if (buf.length < lt + 9) return -1;
    if (buf[lt + 2] === 0x2d && buf[lt + 3] === 0x2d) {
      const close = buf.indexOf('-->', lt + 4, 'latin1');
      return close === -1 ? -1 : close + 3;
    }
    if (buf.toString('latin1', lt + 2, lt + 9) === '[CDATA[') {
      const close = buf.indexOf(']]>', lt + 9, 'latin1');
      if (close === -1) {
        if (this.capturing && buf.length - lt > this.maxTextBytes) throw this.textTooLong(buf.length - lt);
        return -1;
      }
      if (this.capturing) this.text(buf, lt + 9, close, true);
      return close + 3;
    }
    if (buf.toString('latin1', lt + 2, lt + 9).toUpperCase() === 'DOCTYPE') {
      throw new XmlSyntaxError('it declares a DOCTYPE, which workbook parts never do (entity expansion is refused)');
    }
    throw new XmlSyntaxError('it has a markup declaration that is not XML');
  }

  private keep(buf: Buffer, from: number, isText: boolean): void {
    const bytes = buf.length - from;
    if (isText && bytes > this.maxTextBytes) throw this.textTooLong(bytes);
    if (!isText && bytes > this.maxTagBytes) throw new XmlSyntaxError(`a tag runs past ${this.maxTagBytes} bytes`);
    this.tail = buf.subarray(from);
  }
}

function localName(buf: Buffer, start: number, end: number): number {
  for (let i = start; i < end; i++) if (buf[i] === COLON) return i + 1;
  return start;
}

/** Whether the bytes spell `name` (ASCII). */
export function bytesAre(buf: Buffer, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (buf[start + i] !== name.charCodeAt(i)) return false;
  return true;
}

/** Whether a text range needs its entities decoded. */
export function hasEntity(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] === AMPERSAND) return true;
  return false;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML text with its five named entities and character references decoded; anything else is refused. */
export function decodeEntities(text: string): string {
  return text.replace(/&([^;&]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(';')) throw new XmlSyntaxError(`an entity is not terminated (${JSON.stringify(whole.slice(0, 16))})`);
    const named = NAMED_ENTITIES[body];
    if (named !== undefined) return named;
    const code = /^#x[0-9a-f]+$/i.test(body) ? parseInt(body.slice(2), 16) : /^#[0-9]+$/.test(body) ? parseInt(body.slice(1), 10) : NaN;
    if (Number.isNaN(code) || code > 0x10ffff) throw new XmlSyntaxError(`it uses an entity XML does not define (&${body.slice(0, 16)};)`);
    return String.fromCodePoint(code);
  });
}

/** Each attribute of a tag as byte ranges; calls `visit` with name and value ranges. */
export function forEachAttribute(
  buf: Buffer,
  start: number,
  end: number,
  visit: (nameStart: number, nameEnd: number, valueStart: number, valueEnd: number) => void,
): void {
  let i = start;
  while (i < end) {
    while (i < end && isSpace(buf[i])) i++;
    if (i >= end) return;
    const nameStart = i;
    while (i < end && buf[i] !== 0x3d && !isSpace(buf[i])) i++;
    const nameEnd = i;
    while (i < end && isSpace(buf[i])) i++;
    if (buf[i] !== 0x3d) throw new XmlSyntaxError('an attribute has no value');
    i++;
    while (i < end && isSpace(buf[i])) i++;
    const quote = buf[i];
    if (quote !== QUOTE && quote !== APOSTROPHE) throw new XmlSyntaxError('an attribute value is not quoted');
    const valueStart = ++i;
    while (i < end && buf[i] !== quote) i++;
    if (i >= end) throw new XmlSyntaxError('an attribute value is not closed');
    visit(nameStart, nameEnd, valueStart, i);
    i++;
  }
}
