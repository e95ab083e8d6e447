import { LANGS, catalog, isLang } from '../i18n';
import { useI18n } from '../i18n/context';

/** The interface language, each named in itself; the choice is remembered. */
export function LanguageSwitch() {
  const { lang, m, setLang } = useI18n();
  return (
    <div class="lang-switch">
      <label for="ui-language">{m.app.language}</label>
      <select id="ui-language" class="small" value={lang} onChange={(e) => {
        const v = e.currentTarget.value;
        if (isLang(v)) setLang(v);
      }}>
        {LANGS.map((l) => <option key={l} value={l} lang={l}>{catalog(l).languageName}</option>)}
      </select>
    </div>
  );
}
