// Entry point of the page: builds the services (composition root), renders the
// app, loads state, starts the service worker, and preloads when idle.

import { effect } from '@preact/signals';
import { render } from 'preact';
import { composeApp } from './app/compose';
import { runtimesFor } from './core/swAssets';
import { detectBuiltinModel } from './inference/builtinEngine';
import { readChatModelProfile } from './storage/chatModelProfile';
import { idbConversationStore } from './storage/conversationStore';
import { App } from './ui/App';
import { provideServices } from './ui/appServices';
import { loadBenchmarks } from './ui/benchmark';
import { refreshCatalog } from './ui/catalogState';
import {
  activeModel,
  activeModelKey,
  connectChat,
  initChat,
  modelStatus,
  releaseAllModels,
  releaseModel,
} from './ui/chatState';
import { initDownloads } from './ui/downloads';
import { connectHub, watchDeepLinks } from './ui/hubState';
import { watchInstall } from './ui/install';
import { connectVerifier, installed, refreshInstalled } from './ui/installedModels';
import { watchOnline } from './ui/online';
import { preloadCandidate, schedulePreload, usageHistory } from './ui/preload';
import { screen } from './ui/screen';
import { loadSettings, markUsed, settings } from './ui/settings';
import { trackKeyboard } from './ui/trackKeyboard';
import { cacheRuntimes, registerServiceWorker } from './ui/updates';
import './ui/styles.css';

loadSettings();
loadBenchmarks();
watchOnline();
watchInstall();
const services = composeApp();
connectChat({
  textEngine: services.textEngine,
  builtinEngine: services.builtinEngine,
  conversations: idbConversationStore,
  builtinAvailable: async () => (await detectBuiltinModel()).availability === 'available',
  modelProfile: readChatModelProfile,
});
// Delete lets the engine holding a model go before its files are removed.
connectVerifier(services.downloads, { releaseModel });
provideServices({ textEngine: services.textEngine, downloads: services.downloads });
// A model the chat has loaded counts as used (for preloading and the Models screen).
effect(() => {
  const key = activeModel.value?.key;
  if (modelStatus.value === 'ready' && key) markUsed(key);
});
connectHub(services.hub);

trackKeyboard();
render(<App />, document.getElementById('app') as HTMLElement);

void (async () => {
  await Promise.all([refreshInstalled(), initChat()]);
  // Returning users with a model land in the chat; everyone else picks a model first.
  if (installed.value.length > 0) screen.value = 'chat';
  const likely = preloadCandidate(installed.value, usageHistory(), settings.value.defaultModel);
  if (likely) activeModelKey.value = likely.key;
  schedulePreload(services.textEngine);
  await refreshCatalog();
  // After the catalog, which says where the Hub is: `#/models/add?repo=…` opens the Add panel.
  watchDeepLinks();
  // After the catalog, so resumed downloads can be shown on their model's card.
  await initDownloads(services.coordinator, services.downloads);
})();

if (import.meta.env.PROD) {
  // Reload into a new version releases the models in memory first.
  registerServiceWorker({ beforeReload: releaseAllModels }).catch((error) =>
    console.error('service worker failed', error),
  );
  // A download caches its model's runtime before recording it installed
  // (`cacheRuntimeFor`, in the composition root); this also covers models
  // installed by a version of the app that did not.
  effect(() => {
    const runtimes = installed.value.flatMap((m) => runtimesFor(m.manifest.framework));
    cacheRuntimes(runtimes).catch((error) => console.error('caching runtimes failed', error));
  });
}
