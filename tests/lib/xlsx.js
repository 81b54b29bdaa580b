// A small .xlsx writer for tests: rows of strings, numbers, booleans and
// Dates become a one-sheet workbook (zip of XML parts, deflated with
// node:zlib).  It deliberately writes things differently from libxlsxwriter
// (used by the C unit tests): inline strings next to shared ones, dates with
// a built-in Chinese-locale format, cells without r= references, so the
// server's reader is checked against two producers.
import { deflateRawSync, inflateRawSync, crc32 as zlibCrc32, constants as zlibConstants } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// files: [[name, string|Buffer]] → a zip archive as a Buffer.
export function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, content] of files) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const packed = deflateRawSync(data);
    const fname = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x0800, 6); // UTF-8 names
    head.writeUInt16LE(8, 8); // deflate
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(fname.length, 26);
    locals.push(head, fname, packed);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0);
    cen.writeUInt16LE(20, 4);
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(0x0800, 8);
    cen.writeUInt16LE(8, 10);
    cen.writeUInt32LE(crc, 16);
    cen.writeUInt32LE(packed.length, 20);
    cen.writeUInt32LE(data.length, 24);
    cen.writeUInt16LE(fname.length, 28);
    cen.writeUInt32LE(offset, 42);
    centrals.push(cen, fname);
    offset += head.length + fname.length + packed.length;
  }
  const cdir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cdir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdir, end]);
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// Excel's day number for a calendar date (after 1900-03-01).
export function excelSerial(y, m, d) {
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86400000);
}

// rows: arrays of cells; a cell is a string, a number, a boolean, null
// (left out), or { date: [y, m, d] }.  Odd rows' strings go inline.
export function xlsx(rows, { sheetName = 'Sheet1' } = {}) {
  const shared = [];
  const index = new Map();
  const sst = (s) => {
    if (!index.has(s)) {
      index.set(s, shared.length);
      shared.push(s);
    }
    return index.get(s);
  };
  let sheet = '';
  rows.forEach((row, ri) => {
    sheet += `<row r="${ri + 1}">`;
    row.forEach((cell) => {
      if (cell === null || cell === undefined) {
        sheet += '<c/>';
        return;
      }
      if (typeof cell === 'number') sheet += `<c><v>${cell}</v></c>`;
      else if (typeof cell === 'boolean') sheet += `<c t="b"><v>${cell ? 1 : 0}</v></c>`;
      else if (cell.date) sheet += `<c s="1"><v>${excelSerial(...cell.date)}</v></c>`;
      else if (ri % 2) sheet += `<c t="inlineStr"><is><t xml:space="preserve">${esc(cell)}</t></is></c>`;
      else sheet += `<c t="s"><v>${sst(cell)}</v></c>`;
    });
    sheet += '</row>';
  });
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return zip([
    [
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/data.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ],
    [
      '_rels/.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook ${ns} xmlns:r="${rel}"><sheets><sheet name="${esc(sheetName)}" sheetId="1" r:id="rId7"/></sheets></workbook>`,
    ],
    // the sheet part has a non-default name: the reader must follow the relationship
    [
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="${rel}/styles" Target="styles.xml"/><Relationship Id="rId7" Type="${rel}/worksheet" Target="worksheets/data.xml"/></Relationships>`,
    ],
    [
      'xl/styles.xml',
      `<?xml version="1.0" encoding="UTF-8"?><styleSheet ${ns}><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="31" applyNumberFormat="1"/></cellXfs></styleSheet>`,
    ],
    [
      'xl/sharedStrings.xml',
      `<?xml version="1.0" encoding="UTF-8"?><sst ${ns} count="${shared.length}" uniqueCount="${shared.length}">${shared.map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`).join('')}</sst>`,
    ],
    [
      'xl/worksheets/data.xml',
      `<?xml version="1.0" encoding="UTF-8"?><worksheet ${ns}><sheetData>${sheet}</sheetData></worksheet>`,
    ],
  ]);
}

// ---- reading (for export tests) ----

const unesc = (s) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');

// A zip archive (Buffer) → Map of name → Buffer, from its central directory.
export function unzip(buf) {
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip archive');
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const files = new Map();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const colIndex = (ref) => [...ref.replace(/\d+$/, '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

// The first sheet of a workbook as rows of cells: strings, numbers, or null
// for empty cells (inline and shared strings both read).
export function readXlsx(buf) {
  const files = unzip(buf);
  const shared = [];
  const sst = files.get('xl/sharedStrings.xml');
  if (sst) {
    for (const si of sst.toString('utf8').match(/<si>[\s\S]*?<\/si>/g) || [])
      shared.push(unesc([...si.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join('')));
  }
  const name = [...files.keys()].filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n)).sort()[0];
  const xml = files.get(name).toString('utf8');
  const rows = [];
  for (const rm of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const rnum = Number((rm[1].match(/\br="(\d+)"/) || [])[1] || rows.length + 1);
    const row = [];
    let next = 0;
    for (const cm of (rm[2] || '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const ref = (cm[1].match(/\br="([A-Z]+\d+)"/) || [])[1];
      const ci = ref ? colIndex(ref) : next;
      next = ci + 1;
      const t = (cm[1].match(/\bt="(\w+)"/) || [])[1];
      const body = cm[2] || '';
      let v = null;
      if (t === 'inlineStr') v = unesc([...body.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join(''));
      else {
        const raw = (body.match(/<v>([\s\S]*?)<\/v>/) || [])[1];
        if (raw !== undefined)
          v = t === 's' ? shared[Number(raw)] : t === 'str' ? unesc(raw) : t === 'b' ? raw === '1' : Number(raw);
      }
      row[ci] = v;
    }
    for (let i = 0; i < row.length; i++) if (row[i] === undefined) row[i] = null;
    rows[rnum - 1] = row;
  }
  for (let i = 0; i < rows.length; i++) if (!rows[i]) rows[i] = [];
  return rows;
}

// A zip bomb dressed as a workbook: a sheet of `mib` MiB (mostly spaces
// between two rows) that deflates to about a thousandth of that. The deflate
// stream is one compressed MiB repeated (independently compressed pieces
// ending in a sync flush concatenate into one valid stream), so building a
// 250 MiB bomb takes no 250 MiB buffer. With lie, the archive declares the
// sheet to be 1000 bytes (local header and central directory alike), which
// only counting the bytes actually inflated can catch.
export function xlsxBomb({ mib = 250, lie = false } = {}) {
  const head = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      '<row r="1"><c t="inlineStr"><is><t>姓名</t></is></c><c t="inlineStr"><is><t>身份证号</t></is></c></row>',
  );
  const tail = Buffer.from('<row r="2"><c t="inlineStr"><is><t>张三</t></is></c></row></sheetData></worksheet>');
  const pad = Buffer.alloc(1 << 20, 0x20);
  const sync = { finishFlush: zlibConstants.Z_SYNC_FLUSH, level: 9 };
  const padZ = deflateRawSync(pad, sync);
  const parts = [deflateRawSync(head, sync)];
  let crc = zlibCrc32(head);
  for (let i = 0; i < mib; i++) {
    parts.push(padZ);
    crc = zlibCrc32(pad, crc);
  }
  parts.push(deflateRawSync(tail));
  crc = zlibCrc32(tail, crc);
  const packed = Buffer.concat(parts);
  const size = lie ? 1000 : head.length + mib * pad.length + tail.length;
  const fname = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc >>> 0, 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(fname.length, 26);
  const cen = Buffer.alloc(46);
  cen.writeUInt32LE(0x02014b50, 0);
  cen.writeUInt16LE(20, 4);
  cen.writeUInt16LE(20, 6);
  cen.writeUInt16LE(8, 10);
  cen.writeUInt32LE(crc >>> 0, 16);
  cen.writeUInt32LE(packed.length, 20);
  cen.writeUInt32LE(size, 24);
  cen.writeUInt16LE(fname.length, 28);
  const cdir = Buffer.concat([cen, fname]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(cdir.length, 12);
  end.writeUInt32LE(30 + fname.length + packed.length, 16);
  return Buffer.concat([local, fname, packed, cdir, end]);
}
