// The services the Settings and Diagnostics screens act through (the text
// engine, the download worker client), handed over by the composition root.

import type { DownloadWorkerClient } from '../download/downloadWorkerClient';
import type { TextEngine } from '../inference/types';

export interface AppServices {
  textEngine: TextEngine;
  downloads: DownloadWorkerClient;
}

let provided: AppServices | null = null;

export function provideServices(services: AppServices): void {
  provided = services;
}

export function appServices(): AppServices {
  if (!provided) throw new Error('provideServices() has not been called');
  return provided;
}
