// Entry point of the page: builds the services (composition root), renders the
// app, loads state, starts the service worker.

import { render } from 'preact';
import { composeApp } from './app/compose';
import { App } from './ui/App';
import { refreshCatalog } from './ui/catalogState';
import { connectChat } from './ui/chatState';
import { initDownloads } from './ui/downloads';
import { connectVerifier, installed, refreshInstalled } from './ui/installedModels';
import { screen } from './ui/screen';
import { registerServiceWorker } from './ui/updates';
import './ui/styles.css';

const services = composeApp();
connectChat(services.textEngine);
connectVerifier(services.downloads);

render(<App />, document.getElementById('app') as HTMLElement);

void (async () => {
  await refreshInstalled();
  // Returning users with a model land in the chat; everyone else picks a model first.
  if (installed.value.length > 0) screen.value = 'chat';
  await refreshCatalog();
  // After the catalog, so resumed downloads can be shown on their model's card.
  await initDownloads(services.coordinator, services.downloads);
})();

if (import.meta.env.PROD) {
  registerServiceWorker().catch((error) => console.error('service worker failed', error));
}
