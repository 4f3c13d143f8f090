/**
 * The `risky-attachment` check: executables, scripts, disk images and
 * macro-enabled Office files, attached as they are or inside a ZIP archive,
 * which most providers refuse or strip.
 */
import type { ParsedAttachment } from '../../mail/parse/parse.js';
import type { ReportCheck } from '../report.js';
import { finding } from '../penalties.js';
import type { Sentence } from '../sentences/sentence.js';
import { listOf, sentence } from '../sentences/sentences.js';
import { quoted } from './wording.js';
import { zipEntryNames } from './zip-names.js';

// Gmail's list of blocked types, less the archives, which are looked into.
const RISKY_EXTENSIONS = new Set([
  'ade', 'adp', 'apk', 'appx', 'bat', 'cab', 'chm', 'cmd', 'com', 'cpl', 'dll', 'dmg', 'exe', 'hta', 'img', 'ins', 'iso',
  'isp', 'jar', 'js', 'jse', 'lib', 'lnk', 'mde', 'msc', 'msi', 'msix', 'msp', 'mst', 'nsh', 'pif', 'ps1', 'scr', 'sct',
  'shb', 'sys', 'vb', 'vbe', 'vbs', 'vhd', 'vxd', 'wsc', 'wsf', 'wsh', 'docm', 'dotm', 'xlsm', 'xltm', 'xlam', 'pptm', 'potm', 'ppsm',
]);
// Types a sender may give an executable whose name says nothing.
const RISKY_TYPES = new Set(['application/x-msdownload', 'application/x-ms-installer', 'application/x-msi', 'application/x-dosexec', 'application/java-archive']);
// What a risky file's second-to-last extension pretends it is.
const HARMLESS_LOOKING = new Set(['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'rtf', 'txt', 'csv', 'jpg', 'jpeg', 'png', 'gif', 'mp3', 'mp4', 'html', 'zip']);
const ZIP_TYPES = new Set(['application/zip', 'application/x-zip-compressed']);
const LISTED_FILES = 3;

/** `risky-attachment`: fails naming each risky attachment (or archive member), passes otherwise. */
export function riskyAttachment(attachments: readonly ParsedAttachment[]): ReportCheck {
  const risky = attachments.flatMap(riskyNames);
  if (risky.length === 0) return finding('risky-attachment', 'pass', sentence('risky-attachment.none'));
  return finding('risky-attachment', 'fail', sentence('risky-attachment.found', { files: listOf(risky, LISTED_FILES) }));
}

// How each risky file of one attachment is named in the finding.
function riskyNames(attachment: ParsedAttachment): Array<string | Sentence> {
  const name = attachment.filename ?? '';
  if (isRiskyName(name) || RISKY_TYPES.has(attachment.contentType.toLowerCase())) return [describe(name, attachment.contentType)];
  if (extensionsOf(name).at(-1) !== 'zip' && !ZIP_TYPES.has(attachment.contentType.toLowerCase())) return [];
  return zipEntryNames(attachment.content)
    .filter(isRiskyName)
    .map((inner) => (name === ''
      ? sentence('risky-attachment.in-unnamed-archive', { file: describe(inner, null) })
      : sentence('risky-attachment.in-archive', { file: describe(inner, null), archive: quoted(name) })));
}

function isRiskyName(name: string): boolean {
  return RISKY_EXTENSIONS.has(extensionsOf(name).at(-1) ?? '');
}

// "invoice.pdf.exe" is named as disguised: the .pdf is what a reader sees.
function describe(name: string, contentType: string | null): string | Sentence {
  if (name === '') return contentType === null ? sentence('risky-attachment.unnamed-file') : sentence('risky-attachment.unnamed', { type: contentType });
  const [disguise = ''] = extensionsOf(name).slice(-2, -1);
  return HARMLESS_LOOKING.has(disguise) ? sentence('risky-attachment.disguised', { name: quoted(name), disguise }) : quoted(name);
}

// The dot-separated extensions of a file name, lower case, blanks and
// trailing dots dropped as Windows drops them ("a.pdf .exe." runs as .exe).
function extensionsOf(name: string): string[] {
  const base = name.split(/[\\/]/).at(-1) ?? '';
  return base.toLowerCase().replace(/[\s.]+$/, '').split('.').slice(1).map((extension) => extension.trim());
}
