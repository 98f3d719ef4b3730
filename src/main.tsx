// Entry point of the page: builds the services (composition root), renders the
// app, loads state, starts the service worker.

import { render } from 'preact';
import { composeApp } from './app/compose';
import { App } from './ui/App';
import { connectChat } from './ui/chatState';
import { connectHub, watchDeepLinks } from './ui/hubState';
import { initDownloads, installed, refreshCatalog, refreshInstalled, screen } from './ui/state';
import { registerServiceWorker } from './ui/updates';
import './ui/styles.css';

const services = composeApp();
connectChat(services.textEngine);
connectHub(services.hub);

render(<App />, document.getElementById('app') as HTMLElement);

void (async () => {
  await refreshInstalled();
  // Returning users with a model land in the chat; everyone else picks a model first.
  if (installed.value.length > 0) screen.value = 'chat';
  await refreshCatalog();
  // After the catalog, which says where the Hub is: `#/models/add?repo=…` opens the Add panel.
  watchDeepLinks();
  // After the catalog, so resumed downloads can be shown on their model's card.
  await initDownloads(services.coordinator, services.downloads);
})();

if (import.meta.env.PROD) {
  registerServiceWorker().catch((error) => console.error('service worker failed', error));
}
