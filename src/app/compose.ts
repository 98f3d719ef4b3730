// The app's composition root: the one place that builds the services with a
// life of their own (the download worker client, the cross-tab download
// coordinator and its BroadcastChannel, the chat's text engines). Nothing in
// src/ builds them on import; `main.tsx` calls this once and hands them out.

import { DownloadWorkerClient } from '../download/downloadWorkerClient';
import { TabCoordinator } from '../download/tabCoordinator';
import { hubSourceUrl, inspectHubRepo, parseHubSourceUrl } from '../hub/inspectHubRepo';
import { BuiltinTextEngine } from '../inference/builtinEngine';
import { createTextEngine } from '../inference/engines';
import type { TextEngine } from '../inference/types';
import type { HubApi } from '../ui/hubState';
import { prepareInstall } from '../ui/updates';

export interface AppServices {
  downloads: DownloadWorkerClient;
  coordinator: TabCoordinator;
  textEngine: TextEngine;
  /** The browser's built-in model, for the chat's model picker. */
  builtinEngine: BuiltinTextEngine;
  /** The Hub client the Add panel and Hub cards use. */
  hub: HubApi;
}

export function composeApp(): AppServices {
  // A model counts as installed only once its runtime is cached for offline use;
  // the install also learns how the planner will run it (a 4-bit model for wasm
  // gets its int8 graph then), from the very manifest it verified.
  const downloads = new DownloadWorkerClient({ beforeInstall: prepareInstall });
  return {
    downloads,
    coordinator: new TabCoordinator(downloads),
    textEngine: createTextEngine('transformers'),
    builtinEngine: new BuiltinTextEngine(),
    hub: { inspectHubRepo, hubSourceUrl, parseHubSourceUrl },
  };
}
