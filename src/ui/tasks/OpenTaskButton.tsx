// "Open" on a model's card: the task screen of an installed model whose task
// has one (packed ONNX/TFLite models and Hub pipelines alike).

import { taskScreenOf } from '../../core/tasks/taskScreen';
import type { InstalledModel } from '../../storage/db';
import { openTaskScreen } from './taskRoute';

export function OpenTaskButton({ record }: { record: InstalledModel | null }) {
  if (!record || !taskScreenOf(record.manifest)) return null;
  return (
    <button
      type="button"
      class="primary"
      data-testid="open-task"
      onClick={() => openTaskScreen(record.id, record.version)}
    >
      Open
    </button>
  );
}
