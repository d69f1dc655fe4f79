import { Link } from 'react-router';
import { useDocumentTitle } from '../hooks/use-document-title.js';

export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no page here. Go to the <Link to="/trace">Mail Query</Link>.
      </p>
    </section>
  );
}
