// "Clear all data" in Settings: what it deletes (listed before the user
// confirms) and the action, which stops the workers that hold storage open,
// deletes the site's databases and files, forgets settings, and reloads.

import { computed } from '@preact/signals';
import { formatBytes } from '../core/progress';
import type { DownloadWorkerClient } from '../download/downloadWorkerClient';
import type { TextEngine } from '../inference/types';
import { clearSiteData } from '../storage/clearSiteData';
import { downloads } from './downloads';
import { installed } from './installedModels';

/** One line per kind of data the action deletes. */
export const dataToDelete = computed(() => {
  const lines = installed.value.map(
    (m) => `${m.manifest.name} v${m.version} (${formatBytes(m.bytes)})`,
  );
  const unfinished = Object.values(downloads.value).filter((d) => d.running || d.paused).length;
  if (unfinished > 0)
    lines.push(`${unfinished} unfinished download${unfinished === 1 ? '' : 's'} and their parts`);
  lines.push('Conversations', 'The saved copy of the model catalog');
  lines.push('Settings, benchmark results and when each model was last used');
  return lines;
});

export async function clearAllData(
  engine: TextEngine,
  downloadClient: DownloadWorkerClient,
): Promise<void> {
  // Workers hold database connections and file handles: end them first.
  await engine.unload().catch(() => {});
  downloadClient.terminate();
  await clearSiteData();
  try {
    localStorage.clear();
  } catch {
    // Storage blocked: nothing was kept there either.
  }
  location.reload();
}
