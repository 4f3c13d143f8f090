import sanitizeHtml from 'sanitize-html';

/**
 * Why a document served by the html route could run something, or [] when
 * it is inert. Two independent looks: plain text searches that need no
 * parser (so a parser bug cannot hide a hit), and every element and
 * attribute as an HTML parser sees them, values entity-decoded.
 */
export function inertProblems(document: string): string[] {
  const problems: string[] = [];
  const squeezed = document.replace(/[\s\0]+/g, '').toLowerCase();
  if (/<script/i.test(document)) problems.push('a <script> tag');
  for (const scheme of ['javascript:', 'vbscript:', 'data:text/html']) {
    if (squeezed.includes(scheme)) problems.push(`"${scheme}" in the document`);
  }
  for (const [, css = ''] of document.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)) {
    const plain = css.replace(/\\/g, '').toLowerCase();
    for (const risky of ['@import', 'expression(', '-moz-binding', 'behavior:']) if (plain.includes(risky)) problems.push(`"${risky}" in a stylesheet`);
  }
  sanitizeHtml(document, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    onOpenTag: (tag, attribs) => {
      if (ACTIVE_TAGS.has(tag)) problems.push(`a <${tag}> element`);
      if (tag === 'meta' && attribs['http-equiv'] !== undefined) problems.push('a <meta http-equiv>');
      for (const [name, value] of Object.entries(attribs)) {
        if (/^on/i.test(name)) problems.push(`an ${name} attribute on <${tag}>`);
        const plain = value.replace(/[\s\0]+/g, '').toLowerCase();
        if (/^(?:javascript|vbscript):|^data:text\/html/.test(plain)) problems.push(`a script URL in ${name} on <${tag}>`);
        if (name === 'style' && /expression\(|javascript:|-moz-binding|behavior:/.test(plain)) problems.push(`active CSS in style on <${tag}>`);
      }
    },
  });
  return problems;
}

// Elements that run, load, submit or re-parse content; none belongs in a mail body.
const ACTIVE_TAGS = new Set([
  'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'form', 'input', 'button',
  'textarea', 'select', 'link', 'svg', 'math', 'noscript', 'template', 'xmp', 'isindex', 'portal',
]);
