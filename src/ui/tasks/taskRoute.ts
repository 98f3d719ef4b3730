// Which installed model's task screen is open (null: none). The app frame
// shows the task screen over the tabs while one is open.

import { signal } from '@preact/signals';

export const openTask = signal<{ id: string; version: string } | null>(null);

export function openTaskScreen(id: string, version: string): void {
  openTask.value = { id, version };
}

export function closeTask(): void {
  openTask.value = null;
}
