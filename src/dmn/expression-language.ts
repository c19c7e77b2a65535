/** Which language evaluates a DMN expression: its own attribute, the file's, or Camunda 7's defaults. */

export type ExpressionLanguage = 'feel' | 'juel';

/** The language of one expression, or the name of a language this engine cannot run. */
export type LanguageChoice = { readonly language: ExpressionLanguage } | { readonly unsupported: string };

/** The FEEL namespace URIs of DMN 1.1 to 1.5 (as Camunda's DefaultDmnEngineConfiguration lists them). */
const FEEL_NAMESPACES = new Set([
  'http://www.omg.org/spec/FEEL/20140401',
  'http://www.omg.org/spec/DMN/20180521/FEEL/',
  'https://www.omg.org/spec/DMN/20191111/FEEL/',
  'https://www.omg.org/spec/DMN/20211108/FEEL/',
  'https://www.omg.org/spec/DMN/20230324/FEEL/',
]);

export function isFeelLanguage(name: string): boolean {
  return FEEL_NAMESPACES.has(name) || name.toLowerCase() === 'feel';
}

/** Camunda's StringUtil.isExpression: a text that starts with `${` or `#{` is JUEL. */
export function looksLikeJuel(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.startsWith('${') || trimmed.startsWith('#{');
}

/**
 * Chooses the language as Camunda 7 does: the element's `expressionLanguage`, else the `definitions` element's
 * unless that names FEEL (then the engine default applies), else the default. Camunda 7.13+ defaults every
 * expression to FEEL; before 7.13 (and with `enableFeelLegacyBehavior`) input expressions, output entries and
 * literal expressions defaulted to JUEL, and files of that time write `${…}` without declaring a language. FEEL
 * cannot parse a text starting with `${` or `#{`, so such a text without a declared language is read as JUEL:
 * those files keep working and no FEEL expression changes meaning.
 */
export function chooseLanguage(elementLanguage: string | undefined, definitionsLanguage: string | undefined, text: string): LanguageChoice {
  const declared = elementLanguage || (definitionsLanguage && !isFeelLanguage(definitionsLanguage) ? definitionsLanguage : undefined);
  if (!declared) return { language: looksLikeJuel(text) ? 'juel' : 'feel' };
  if (isFeelLanguage(declared)) return { language: 'feel' };
  if (declared.toLowerCase() === 'juel') return { language: 'juel' };
  return { unsupported: declared };
}

/**
 * Camunda wraps a JUEL text that is no `${…}`/`#{…}` expression, so `cellInput > 5` means `${cellInput > 5}`. A
 * text holding `${…}` further in is left a template (`Hello ${name}!`), which Camunda would fail to parse.
 */
export function asJuelExpression(text: string): string {
  return text.includes('${') || text.includes('#{') ? text : `\${${text}}`;
}
