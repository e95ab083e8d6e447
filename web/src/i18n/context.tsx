// The interface language for the components: useI18n() gives the catalog
// (m), the locale's Intl formatters (f) and a way to switch; switching
// re-renders everything that reads them and sets <html lang>.

import { createContext } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { formatters, type Formatters } from '../lib/format';
import { DEFAULT_LANG, catalog, initialLanguage, rememberLanguage, type Lang, type LangStore, type Messages } from './index';

export interface I18n {
  lang: Lang;
  m: Messages;
  f: Formatters;
  setLang: (lang: Lang) => void;
}

function i18nOf(lang: Lang, setLang: (l: Lang) => void): I18n {
  return { lang, m: catalog(lang), f: formatters(lang), setLang };
}

const I18nContext = createContext<I18n>(i18nOf(DEFAULT_LANG, () => {}));

export function useI18n(): I18n {
  return useContext(I18nContext);
}

function browserStore(): LangStore | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const store = useMemo(browserStore, []);
  const [lang, setLangState] = useState<Lang>(() => initialLanguage(store, navigator.languages ?? [navigator.language]));
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo(() => i18nOf(lang, (l: Lang) => {
    rememberLanguage(store, l);
    setLangState(l);
  }), [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
