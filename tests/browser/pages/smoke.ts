// Smallest harness page: proves the harness build and server work.
import { formatBytes } from '../../../src/core/progress';

Object.assign(window, { harness: { formatBytes } });
