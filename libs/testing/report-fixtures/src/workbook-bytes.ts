import ExcelJS from 'exceljs';

/** A real .xlsx with one sheet of the given rows, as the back office would export it. */
export async function workbookBytes(rows: (string | number | Date)[][], sheet = 'Report'): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet(sheet);
  for (const row of rows) ws.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A workbook of many rows, big enough to arrive over HTTP in several chunks. */
export async function bigWorkbookBytes(rowCount: number): Promise<Buffer> {
  const rows: (string | number)[][] = [['user_id', 'amount', 'note']];
  for (let i = 0; i < rowCount; i++) rows.push([`U${(i * 7919) % 100_003}`, (i * 37) % 1000, `row ${i} ${'x'.repeat(i % 50)}`]);
  return workbookBytes(rows);
}
