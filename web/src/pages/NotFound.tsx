import { useTitle } from '../components/ui';

export function NotFound() {
  useTitle('Not found');
  return (
    <div class="narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address. <a href="/">Choose a question to practise</a>.</p>
    </div>
  );
}
