import {
  HTTP_METHODS, isReference,
  type MediaTypeObject, type OpenApiDocument, type OperationObject, type ParameterObject, type Reference, type ResponseObject, type SchemaObject,
} from './types.js';

/**
 * The API reference as one self-contained HTML page, generated from the
 * OpenAPI document: no script, no external resources, only an inline style,
 * so it works under `default-src 'none'; style-src 'unsafe-inline'`.
 */
export function renderDocsPage(doc: OpenApiDocument): string {
  const operations = listOperations(doc);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} reference</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p class="lead">${inline(doc.info.summary)} The machine-readable document is <a href="openapi.json">openapi.json</a> (OpenAPI ${escapeHtml(doc.openapi)}).</p>
</header>
<nav aria-label="Operations">
${doc.tags.map((tag) => tocGroup(tag.name, operations.filter((op) => op.operation.tags.includes(tag.name)))).join('\n')}
<h2>Schemas</h2>
<ul>${Object.keys(doc.components.schemas).map((name) => `<li><a href="#schema-${name}">${name}</a></li>`).join('')}</ul>
</nav>
<main>
<section id="overview">${blocks(doc.info.description)}</section>
${doc.tags.map((tag) => `<section><h2>${escapeHtml(tag.name)}</h2><p>${inline(tag.description)}</p>
${operations.filter((op) => op.operation.tags.includes(tag.name)).map((op) => operationSection(doc, op)).join('\n')}</section>`).join('\n')}
<section><h2>Schemas</h2>
${Object.entries(doc.components.schemas).map(([name, schema]) => schemaSection(name, schema)).join('\n')}</section>
</main>
</body>
</html>
`;
}

interface ListedOperation {
  method: string;
  path: string;
  operation: OperationObject;
}

function listOperations(doc: OpenApiDocument): ListedOperation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => HTTP_METHODS.flatMap((method) => {
    const operation = item[method];
    return operation === undefined ? [] : [{ method, path, operation }];
  }));
}

function tocGroup(tag: string, operations: ListedOperation[]): string {
  const items = operations.map(({ method, path, operation }) => (
    `<li><a href="#op-${operation.operationId}"><span class="m ${method}">${method.toUpperCase()}</span><span>${escapeHtml(path)}</span></a></li>`
  ));
  return `<h2>${escapeHtml(tag)}</h2><ul>${items.join('')}</ul>`;
}

function operationSection(doc: OpenApiDocument, { method, path, operation }: ListedOperation): string {
  const parameters = (operation.parameters ?? []).map((parameter) => deref(doc, parameter, 'parameters'));
  const body = operation.requestBody;
  return `<article id="op-${operation.operationId}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p><strong>${inline(operation.summary)}</strong> <span class="id">${escapeHtml(operation.operationId)}</span></p>
${operation.description === undefined ? '' : `<p>${inline(operation.description)}</p>`}
${parameters.length === 0 ? '' : parameterTable(parameters)}
${body === undefined ? '' : `<h4>Request body${body.required ? '' : ' (optional)'}</h4><p>${inline(body.description)}</p>${contentList(body.content)}`}
<h4>Responses</h4>
<dl class="responses">${Object.entries(operation.responses).map(([status, response]) => responseItem(status, deref(doc, response, 'responses'))).join('')}</dl>
</article>`;
}

function parameterTable(parameters: ParameterObject[]): string {
  const rows = parameters.map((parameter) => {
    const extra = [
      parameter.schema.default === undefined ? '' : ` Default: <code>${escapeHtml(String(parameter.schema.default))}</code>.`,
      parameter.example === undefined ? '' : ` Example: <code>${escapeHtml(String(parameter.example))}</code>.`,
    ].join('');
    return `<tr><td><code>${escapeHtml(parameter.name)}</code></td><td>${parameter.in}</td><td>${schemaType(parameter.schema)}</td>`
      + `<td>${parameter.required === true ? 'yes' : 'no'}</td><td>${inline(parameter.description)}${extra}</td></tr>`;
  });
  return `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Required</th><th>Description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function responseItem(status: string, response: ResponseObject): string {
  const headers = Object.entries(response.headers ?? {}).map(([name, header]) => `<li><code>${escapeHtml(name)}</code>: ${inline(header.description)}</li>`);
  return `<dt class="s${status.charAt(0)}">${escapeHtml(status)}</dt><dd><p>${inline(response.description)}</p>`
    + `${headers.length === 0 ? '' : `<ul class="headers">${headers.join('')}</ul>`}${contentList(response.content ?? {})}</dd>`;
}

function contentList(content: Record<string, MediaTypeObject>): string {
  return Object.entries(content).map(([mediaType, media]) => {
    const examples = Object.values(media.examples ?? {}).map((example) => (
      `<details><summary>Example: ${inline(example.summary)}</summary><pre>${escapeHtml(exampleText(example.value))}</pre></details>`
    ));
    return `<p class="media"><code>${escapeHtml(mediaType)}</code>${media.schema === undefined ? '' : ` ${schemaType(media.schema)}`}</p>${examples.join('')}`;
  }).join('');
}

function schemaSection(name: string, schema: SchemaObject): string {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([property, value]) => (
    `<tr><td><code>${escapeHtml(property)}</code></td><td>${schemaType(value)}</td><td>${required.has(property) ? 'yes' : 'no'}</td><td>${inline(value.description ?? '')}</td></tr>`
  ));
  const table = rows.length === 0 ? '' : `<table><thead><tr><th>Property</th><th>Type</th><th>Required</th><th>Description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  const oneOf = schema.oneOf === undefined ? '' : `<p>One of: ${schema.oneOf.map(schemaType).join(', ')}</p>`;
  return `<article id="schema-${name}"><h3>${name}</h3><p>${inline(schema.description ?? '')}</p>${oneOf}${table}</article>`;
}

/** A short type expression, with schema names linked. */
function schemaType(schema: SchemaObject): string {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.split('/').pop() ?? '';
    return `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`;
  }
  const options = schema.oneOf ?? schema.anyOf;
  if (options !== undefined) return options.map(schemaType).join(' | ');
  if (schema.const !== undefined) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
  if (schema.enum !== undefined) return schema.enum.map((value) => `<code>${escapeHtml(JSON.stringify(value))}</code>`).join(' | ');
  if (schema.properties !== undefined) {
    return `{ ${Object.entries(schema.properties).map(([name, value]) => `<code>${escapeHtml(name)}</code>: ${schemaType(value)}`).join('; ')} }`;
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'any'];
  const shown = types.map((type) => (type === 'array' && schema.items !== undefined ? `${schemaType(schema.items)}[]` : type));
  const format = schema.format ?? schema.contentMediaType;
  // Type names are fixed words and the array items are HTML made here, so nothing needs escaping.
  return shown.join(' | ') + (format === undefined ? '' : ` <small>(${escapeHtml(format)})</small>`);
}

function deref<T extends object>(doc: OpenApiDocument, value: T | Reference, section: 'parameters' | 'responses'): T {
  if (!isReference(value)) return value;
  const name = value.$ref.slice(`#/components/${section}/`.length);
  const target: unknown = (doc.components[section] as Record<string, unknown>)[name];
  if (target === undefined) throw new Error(`Unresolved reference ${value.$ref}`);
  return target as T;
}

function exampleText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** Paragraphs and "- " lists separated by blank lines. */
function blocks(text: string): string {
  return text.split(/\n{2,}/).map((block) => {
    const lines = block.split('\n');
    if (lines.every((line) => line.startsWith('- '))) return `<ul>${lines.map((line) => `<li>${inline(line.slice(2))}</li>`).join('')}</ul>`;
    return `<p>${inline(block)}</p>`;
  }).join('\n');
}

/** Escapes text, then renders `code` and **bold**. */
function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#5b6572;--bg:#fff;--panel:#f5f7f9;--line:#d8dee4;--accent:#0b63c5}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ec;--muted:#9aa4ae;--bg:#111417;--panel:#1a1f24;--line:#2c333a;--accent:#5fa8ff}}
*{box-sizing:border-box}body{margin:0;font:15px/1.55 system-ui,sans-serif;color:var(--fg);background:var(--bg);display:grid;grid-template-columns:21rem 1fr;grid-template-areas:"head head" "nav main"}
header{grid-area:head;padding:1rem 2rem;border-bottom:1px solid var(--line)}header h1{margin:0}header small{color:var(--muted);font-weight:normal}
nav{grid-area:nav;padding:1rem;border-right:1px solid var(--line);font-size:13px;position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto}
nav h2{font-size:13px;text-transform:uppercase;color:var(--muted);margin:1rem 0 .3rem}nav ul{list-style:none;margin:0;padding:0}nav li{margin:.2rem 0}nav a{display:flex;gap:.4rem;align-items:baseline;overflow-wrap:anywhere}nav .m{flex:none}
main{grid-area:main;padding:1rem 2rem;min-width:0;max-width:70rem}a{color:var(--accent)}
article{border:1px solid var(--line);border-radius:8px;padding:.5rem 1rem;margin:1rem 0;background:var(--panel)}
h3{margin:.4rem 0;font-size:17px}h4{margin:.8rem 0 .3rem}.id{color:var(--muted);font-family:ui-monospace,monospace;font-size:12px}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.6rem;overflow:auto;max-height:30rem}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;vertical-align:top;border-top:1px solid var(--line);padding:.3rem .5rem}
.m{display:inline-block;min-width:4.2em;text-align:center;border-radius:4px;font:bold 12px ui-monospace,monospace;padding:.1em .3em;color:#fff}
.get{background:#1f7a3d}.post{background:#0b63c5}.delete{background:#b3261e}
dl.responses dt{font:bold 14px ui-monospace,monospace;margin-top:.5rem}dt.s2,dt.s1{color:#1f7a3d}dt.s4,dt.s5{color:#b3261e}dl.responses dd{margin-left:1.5rem}
.media{margin:.3rem 0}details{margin:.2rem 0}summary{cursor:pointer;color:var(--muted)}
@media (max-width:50rem){body{display:block}nav{position:static;max-height:none;border:0}}
`;
