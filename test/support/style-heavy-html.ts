/**
 * HTML as a newsletter builder writes it, at any size: table cells that each
 * carry a long inline style. Inline styles are the dearest part of a render
 * (each is tokenised and rebuilt by src/sanitize/css.ts), so this is the
 * worst realistic case for render time and worker heap, and the shape of the
 * 6 MB message of issue 19's finding 3.
 */

const CELL_STYLE = 'padding:4px 8px;color:#1f1f1f;background-color:#fafafa;font-family:Arial,Helvetica,sans-serif;'
  + 'font-size:14px;line-height:20px;border-bottom:1px solid #eeeeee;text-align:left';

/** About `bytes` bytes of style-heavy HTML, one table row per line so no line is long. */
export function styleHeavyHtml(bytes: number): string {
  const rows: string[] = [];
  let size = 0;
  for (let row = 0; size < bytes; row++) {
    const cells = Array.from({ length: 4 }, (_, cell) => `<td style="${CELL_STYLE}">cell ${row}.${cell}</td>`).join('');
    const line = `<tr style="vertical-align:top">${cells}</tr>`;
    rows.push(line);
    size += line.length + 2;
  }
  return `<html><body><table style="width:100%;border-collapse:collapse">\r\n${rows.join('\r\n')}\r\n</table></body></html>`;
}

/** A message whose only body is `styleHeavyHtml(htmlBytes)`, as raw bytes ready for SMTP. */
export function styleHeavyMessage(htmlBytes: number, options: { to: string; subject: string }): Buffer {
  const headers = [
    'From: Newsletter <news@example.com>', `To: ${options.to}`, `Subject: ${options.subject}`,
    'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit',
  ];
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${styleHeavyHtml(htmlBytes)}\r\n`);
}
