/**
 * The typed-template kit of the emails: an `html` tag that escapes every value it is given, and a `text` tag
 * that keeps every value on one line. Values are hostile by default (product names, customer names, carriers and
 * decline messages all come from outside): only markup built by `html` itself is inserted as is, so a template
 * cannot forget to escape, and a value cannot open a tag, an attribute or a new line in the plain-text part.
 */

const SAFE = Symbol('safe-html');

/** Markup made by `html` (or `raw`), and nothing else. */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly markup: string;
}

export type HtmlValue = string | number | SafeHtml | readonly HtmlValue[] | null | undefined | false;

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * C0 and C1 controls (except tab and line feed), and the Unicode bidirectional overrides and isolates, which can
 * make "gpj.exe" read as "exe.jpg" (CVE-2021-42574, "Trojan Source"): removed from every value.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are removed.
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Text as it may appear anywhere: controls and direction overrides removed. */
export function clean(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Text for one line: every run of white space (line breaks included) becomes one space. */
export function oneLine(text: string): string {
  return clean(text.replace(/[\r\n\t\u2028\u2029]+/g, ' ')).replace(/\s+/g, ' ').trim();
}

export function escapeHtml(text: string): string {
  return clean(text).replace(/[&<>"']/g, (character) => ENTITIES[character]!);
}

function isSafe(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && (value as { [SAFE]?: unknown })[SAFE] === true;
}

function renderValue(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (isSafe(value)) return value.markup;
  if (Array.isArray(value)) return value.map((item: HtmlValue) => renderValue(item)).join('');
  return escapeHtml(String(value));
}

function safe(markup: string): SafeHtml {
  return { [SAFE]: true, markup };
}

/** Builds markup: the literal parts are the template's, every interpolated value is escaped (or is markup already). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += renderValue(value) + (strings[index + 1] ?? '');
  });
  return safe(markup);
}

/**
 * An anchor to an http(s) URL; any other URL leaves the label alone, unlinked. The URL is escaped for the
 * attribute (`&` in a query string becomes `&amp;`, which the browser turns back).
 */
export function link(url: string | undefined, label: HtmlValue): SafeHtml {
  if (url === undefined || !/^https?:\/\//i.test(url)) return html`${label}`;
  return html`<a href="${url}" style="color:#1a56db">${label}</a>`;
}

export type TextValue = string | number | null | undefined | false;

/** Builds one piece of the plain-text part: each value is made one line, so it can never start a line of its own. */
export function text(strings: TemplateStringsArray, ...values: TextValue[]): string {
  let result = strings[0] ?? '';
  values.forEach((value, index) => {
    result += (value === null || value === undefined || value === false ? '' : oneLine(String(value))) + (strings[index + 1] ?? '');
  });
  return result;
}
