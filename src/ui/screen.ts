// Which screen the app shows. The header's tabs set it; main.tsx lands
// returning users with a model in the chat.

import { signal } from '@preact/signals';

export type Screen = 'chat' | 'models' | 'diagnostics' | 'settings';

export const screen = signal<Screen>('models');
