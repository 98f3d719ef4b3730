// The size check done whenever an installed model is loaded: every stored file
// must have its manifest size. A missing or resized file marks the model
// damaged (in its install record) and is a typed `model-damaged` error, so a
// runtime never sees the bytes and the user is offered Repair.

import { AppError } from '../core/errors';
import { type DamagedFile, sizeDamage } from '../core/storedDamage';
import { getInstalledModel, type InstalledModel, setModelDamage } from './db';
import { openStoredFile } from './storedFileReader';

export function damagedError(model: InstalledModel, files: DamagedFile[]): AppError {
  return new AppError('model-damaged', { id: model.id, version: model.version, files });
}

/** Each stored file's size against the manifest; records and returns what is wrong. */
export async function checkStoredSizes(model: InstalledModel): Promise<DamagedFile[]> {
  const backend = model.backend ?? 'opfs-sync';
  const damaged: DamagedFile[] = [];
  for (const file of model.manifest.files) {
    const stored = await openStoredFile({
      backend,
      id: model.id,
      version: model.version,
      path: file.path,
    });
    const damage = sizeDamage(file.path, file.size, stored.size);
    if (damage) damaged.push(damage);
  }
  if (damaged.length > 0) {
    await setModelDamage(model.id, model.version, {
      files: damaged,
      foundBy: 'load',
      foundAt: Date.now(),
    });
  }
  return damaged;
}

/**
 * Before a runtime loads a model: throws `model-not-installed` when it is not
 * installed and `model-damaged` when it is marked damaged or a size is wrong.
 */
export async function checkInstalledModel(id: string, version: string): Promise<InstalledModel> {
  const model = await getInstalledModel(id, version);
  if (!model) throw new AppError('model-not-installed', { id, version });
  if (model.damage) throw damagedError(model, model.damage.files);
  const damaged = await checkStoredSizes(model);
  if (damaged.length > 0) throw damagedError(model, damaged);
  return model;
}

/**
 * One file of an installed model, read by `read`, checked against its manifest
 * size. Files the manifest does not list (a runtime probing for optional ones)
 * are read as they are.
 */
export async function checkedFile(
  model: InstalledModel,
  path: string,
  read: () => Promise<Blob>,
): Promise<Blob> {
  if (model.damage) throw damagedError(model, model.damage.files);
  const expected = model.manifest.files.find((f) => f.path === path);
  if (!expected) return read();
  let blob: Blob | null = null;
  try {
    blob = await read();
  } catch (error) {
    // Gone behind the app's back (or a hole in IndexedDB chunk records): damage, not absence.
    if (!AppError.is(error, 'model-not-installed')) throw error;
  }
  if (blob && blob.size === expected.size) return blob;
  const damaged = await checkStoredSizes(model);
  if (!damaged.some((f) => f.path === path)) {
    // Sizes look right now but this read did not: record it as this file's damage.
    const own = sizeDamage(path, expected.size, blob ? blob.size : null) ?? {
      path,
      reason: 'content' as const,
      expectedSize: expected.size,
      storedSize: expected.size,
      badChunks: [],
    };
    damaged.push(own);
    await setModelDamage(model.id, model.version, {
      files: damaged,
      foundBy: 'load',
      foundAt: Date.now(),
    });
  }
  throw damagedError(model, damaged);
}
