import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApiClient } from './api';
import { ApiProvider } from './app/api-context';
import { App } from './app/App';
import './styles/app.css';

// Choose the transport (and take the web host's token out of the address bar) before anything renders.
const client = getApiClient();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ApiProvider client={client}>
        <App />
      </ApiProvider>
    </StrictMode>,
  );
}
