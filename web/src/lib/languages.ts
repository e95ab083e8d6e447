// The language of an interview: which of the server's languages to propose,
// and which language a report is in. Tags compare as BCP 47 says they do,
// ignoring case (the bank may say "pt-br" where the server says "pt-BR").

import { AUTO_LANGUAGE, type Interview, type Languages, type Report } from '../types';

/** The code among `codes` for a tag: the same tag, else the same primary language (pt -> pt-BR); null when none. */
export function matchLanguage(tag: string | null | undefined, codes: readonly string[]): string | null {
  const t = tag?.trim().toLowerCase();
  if (!t) return null;
  const same = codes.find((c) => c.toLowerCase() === t);
  if (same) return same;
  const primary = t.split(/[-_]/)[0];
  return codes.find((c) => c.toLowerCase().split(/[-_]/)[0] === primary) ?? null;
}

/**
 * The language to propose for a new interview: the question's when the
 * server has it, else the interface's, else the server's default.
 */
export function defaultInterviewLanguage(langs: Languages, questionLang: string | null | undefined, uiLang: string): string {
  const codes = langs.languages.map((l) => l.code);
  return matchLanguage(questionLang, codes) ?? matchLanguage(uiLang, codes) ?? matchLanguage(langs.default, codes)
    ?? codes[0] ?? langs.default;
}

/** The options of the interview's language: the server's languages, then detection when the server takes it. */
export function interviewLanguageChoices(langs: Languages): string[] {
  const codes = langs.languages.map((l) => l.code);
  return langs.perInterview && langs.auto ? [...codes, AUTO_LANGUAGE] : codes;
}

export interface ReportLanguage {
  /** The transcript's language, or null when nothing says. */
  code: string | null;
  /** Found by detection (the interview asked for "auto"). */
  detected: boolean;
  /** How sure the detection was, 0..1. */
  probability: number | null;
}

/** Which language a report is in: the report's own, else the detected one, else the one asked for. */
export function reportLanguage(
  iv: Pick<Interview, 'language' | 'detected_language' | 'language_probability'>, report: Pick<Report, 'language'> | null,
): ReportLanguage {
  const asked = iv.language && iv.language !== AUTO_LANGUAGE ? iv.language : null;
  const p = iv.language_probability;
  return {
    code: report?.language || iv.detected_language || asked,
    detected: iv.language === AUTO_LANGUAGE,
    probability: typeof p === 'number' && Number.isFinite(p) ? p : null,
  };
}
