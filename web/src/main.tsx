import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { SessionProvider } from './session/SessionProvider';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    {/* Production builds send operations by their persisted-query id; the dev server sends their text. */}
    <SessionProvider persistedQueries={import.meta.env.PROD}>
      <App />
    </SessionProvider>
  </StrictMode>,
);
