// Turns a damaged installed model into a download that fetches only what no
// longer verifies: re-hashes every stored file, writes journals that keep the
// chunks still matching, and drops the install record (one transaction). The
// normal resume path then fetches the bad chunks, trims or refills each file,
// and installs the model again once every byte verifies.

import { planChunks } from '../core/chunkPlan';
import { emptyJournal, type FileJournal } from '../core/downloadJournal';
import { AppError } from '../core/errors';
import { fileDigestId } from '../core/manifest';
import { goodChunks } from '../core/storedDamage';
import { getInstalledModel, installKey, setModelDamage } from '../storage/db';
import { beginRepairRecords } from '../storage/repairRecords';
import { downloadSettingsFrom } from './downloadSettings';
import { type EngineOptions, engineSettings } from './engineOptions';
import type { RepairPlan } from './types';
import { verifyInstalled } from './verifyInstalled';

/** Null when every byte still verifies (any damage mark is cleared). */
export async function prepareRepair(
  id: string,
  version: string,
  options: EngineOptions = {},
): Promise<RepairPlan | null> {
  const model = await getInstalledModel(id, version);
  if (!model) throw new AppError('model-not-installed', { id, version });
  const backend = model.backend ?? 'opfs-sync';
  const settings = engineSettings({ ...options, backend });
  const damaged = await verifyInstalled(model, { chunkSize: settings.chunkSize });
  if (damaged.length === 0) {
    await setModelDamage(id, version, null);
    return null;
  }
  const modelKey = installKey(id, version);
  const now = Date.now();
  const journals: FileJournal[] = model.manifest.files.map((file) => {
    const plan = planChunks(file, settings);
    const bad = damaged.find((d) => d.path === file.path)?.badChunks ?? [];
    const target = {
      modelKey,
      path: file.path,
      size: file.size,
      sha256: fileDigestId(file),
      plan,
      backend,
    };
    return { ...emptyJournal(target, now), done: goodChunks(plan, bad) };
  });
  await beginRepairRecords(id, version, journals, {
    manifestUrl: model.manifestUrl,
    id,
    version,
    state: 'active',
    error: null,
    backend,
    // Only what a user may set is stored with a download (src/download/downloadSettings.ts).
    options: downloadSettingsFrom(options),
    updatedAt: now,
  });
  return { manifestUrl: model.manifestUrl, damaged };
}
