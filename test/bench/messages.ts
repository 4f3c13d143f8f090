/**
 * The message shapes of the benchmark, built once and stamped per send:
 * only the headers change, so generating load costs almost nothing and the
 * sender measures the server, not itself.
 */
/** The two shapes ingest is measured with. */
export type MessageKind = 'text10k' | 'pdf200k';

/** Every shape: the ingest ones, a 30 KB mail with HTML and a PDF, and a 10 KB text/plain one (the cross-instance waits). */
export type MailKind = MessageKind | 'pdf30k' | 'plain10k';

/** Builds the DATA block (dot-stuffed, ending in CRLF.CRLF) of one message. */
export type MessageFactory = (to: string, subject: string) => Buffer;

export const MESSAGE_KINDS: readonly MessageKind[] = ['text10k', 'pdf200k'];

const TARGET_BYTES: Record<MailKind, number> = { text10k: 10 * 1024, pdf200k: 200 * 1024, pdf30k: 30 * 1024, plain10k: 10 * 1024 };

const WORDS = ('your account verification code order shipped invoice receipt password reset link welcome '
  + 'confirm email address team support thanks please click below expires minutes security notice update').split(' ');

/** A fixed pseudo-random sequence, so every run sends byte-identical bodies. */
function pseudoRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

function prose(bytes: number, random: () => number): string[] {
  const lines: string[] = [];
  let total = 0;
  while (total < bytes) {
    let line = '';
    while (line.length < 68) line += `${WORDS[Math.floor(random() * WORDS.length)] ?? 'mail'} `;
    lines.push(line.trimEnd());
    total += line.length + 2;
  }
  return lines;
}

function base64Lines(data: Buffer): string[] {
  const text = data.toString('base64');
  const lines: string[] = [];
  for (let start = 0; start < text.length; start += 76) lines.push(text.slice(start, start + 76));
  return lines;
}

function alternative(boundary: string, textBytes: number, random: () => number): string[] {
  const text = prose(textBytes, random);
  const html = prose(textBytes, random).map((line) => `<p>${line}</p>`);
  return [
    `--${boundary}`, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit', '',
    'Hello, your verification code is 482913.', '', ...text, '',
    `--${boundary}`, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 7bit', '',
    '<html><body><p>Hello, your verification code is <b>482913</b>.</p>',
    '<p><a href="https://example.com/confirm?token=abc123">Confirm</a></p>', ...html, '</body></html>', '',
    `--${boundary}--`, '',
  ];
}

/** The part after the headers; `headerBytes` lets the total land on the target size. */
function bodyOf(kind: MailKind, headerBytes: number): string {
  const budget = TARGET_BYTES[kind] - headerBytes;
  switch (kind) {
    case 'text10k': {
      const random = pseudoRandom(7);
      const head = 'Content-Type: multipart/alternative; boundary="alt-b"\r\n\r\n';
      const lines = alternative('alt-b', Math.floor((budget - head.length - 600) / 2.2), random);
      return pad(head + lines.join('\r\n'), budget);
    }
    case 'plain10k': {
      const lines = ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit', '', 'Hello, your verification code is 482913.', ''];
      return pad([...lines, ...prose(budget - 200, pseudoRandom(13)), ''].join('\r\n'), budget);
    }
    case 'pdf200k': return withPdf(budget, 800, pseudoRandom(11));
    case 'pdf30k': return withPdf(budget, 3_000, pseudoRandom(17));
  }
}

/** Text and HTML of about `textBytes` each, then a PDF attachment filling the rest of the budget. */
function withPdf(budget: number, textBytes: number, random: () => number): string {
  // What the text, the HTML and the part headers take: about 2.2 times the text, plus 2.2 KB.
  const pdfBytes = Math.floor(((budget - textBytes * 2.2 - 2_240) / 78) * 57);
  const pdf = Buffer.alloc(pdfBytes);
  pdf.write('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  for (let i = 16; i < pdfBytes; i++) pdf[i] = Math.floor(random() * 256);
  const lines = [
    'Content-Type: multipart/mixed; boundary="mix-b"', '',
    '--mix-b', 'Content-Type: multipart/alternative; boundary="alt-b"', '',
    ...alternative('alt-b', textBytes, random),
    '--mix-b', 'Content-Type: application/pdf; name="invoice.pdf"',
    'Content-Disposition: attachment; filename="invoice.pdf"', 'Content-Transfer-Encoding: base64', '',
    ...base64Lines(pdf), '', '--mix-b--', '',
  ];
  return pad(lines.join('\r\n'), budget);
}

// Trailing CRLFs after the last boundary are epilogue: ignored by parsers, and they make sizes exact.
function pad(body: string, budget: number): string {
  return body.length >= budget ? body : body + '\r\n'.repeat(Math.floor((budget - body.length) / 2));
}

function headersOf(to: string, subject: string): string {
  return [
    'From: "Bench Sender" <sender@bench.example>', `To: <${to}>`, `Subject: ${subject}`,
    'Date: Mon, 02 Feb 2026 10:00:00 +0000', `Message-ID: <${subject.replace(/[^\w.-]/g, '')}@bench.example>`,
    'MIME-Version: 1.0', '',
  ].join('\r\n');
}

/** Every line starting with "." doubled (none do here, but the protocol demands it), then the terminator. */
function dotStuff(text: string): string {
  return text.replace(/(^|\r\n)\./g, '$1..');
}

export function messageFactory(kind: MailKind): MessageFactory {
  const typicalHeaders = headersOf('bench-inbox-000@ephemail.test', 'bench 00000000 0000000000').length;
  const body = Buffer.from(`${dotStuff(bodyOf(kind, typicalHeaders))}\r\n.\r\n`, 'latin1');
  return (to, subject) => Buffer.concat([Buffer.from(dotStuff(headersOf(to, subject)), 'latin1'), body]);
}

/** The size the store sees: the DATA block without its CRLF.CRLF terminator. */
export function rawSize(block: Buffer): number {
  return block.length - 3;
}
