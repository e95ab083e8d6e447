import { useTitle } from '../components/ui';
import { useI18n } from '../i18n/context';

export function NotFound() {
  const { m } = useI18n();
  useTitle(m.notFound.pageTitle);
  return (
    <div class="narrow">
      <h1>{m.notFound.title}</h1>
      <p>{m.notFound.text} <a href="/">{m.notFound.link}</a>.</p>
    </div>
  );
}
