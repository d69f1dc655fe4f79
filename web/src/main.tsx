import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { SessionProvider } from './api/session-context.js';
import { createAppRouter } from './app-routes.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new TypeError('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <SessionProvider>
      <RouterProvider router={createAppRouter()} />
    </SessionProvider>
  </StrictMode>,
);
