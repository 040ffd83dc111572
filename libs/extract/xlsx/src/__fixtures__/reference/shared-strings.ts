import { parseSax } from '../../exceljs-parts.js';

const ESCAPED_CHAR = /_x([0-9A-Fa-f]{4})_/g;

/**
 * OOXML strings escape characters XML cannot hold (a carriage return is `_x000D_`); a
 * literal `_x000D_` is itself escaped as `_x005F_x000D_`, which one left-to-right pass undoes.
 */
export function decodeOoxmlText(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(ESCAPED_CHAR, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * The shared-string table (`xl/sharedStrings.xml`) as plain strings: rich-text runs are
 * joined, phonetic guides (`<rPh>`, East Asian ruby text) are left out. exceljs's own
 * parser keeps the formatting of every run and lets a phonetic guide replace the text.
 */
export async function readSharedStrings(xml: AsyncIterable<Buffer | string>): Promise<string[]> {
  const strings: string[] = [];
  let text = '';
  let inText = false;
  let phonetic = 0;
  for await (const events of parseSax(xml)) {
    for (const event of events) {
      if (event.eventType === 'text') {
        if (inText) text += event.value;
      } else if (event.eventType === 'opentag') {
        switch (event.value.name) {
          case 't':
            inText = phonetic === 0;
            break;
          case 'si':
            text = '';
            break;
          case 'rPh':
            phonetic++;
            break;
        }
      } else {
        switch (event.value.name) {
          case 't':
            inText = false;
            break;
          case 'rPh':
            phonetic--;
            break;
          case 'si':
            strings.push(decodeOoxmlText(text));
            break;
        }
      }
    }
  }
  return strings;
}
