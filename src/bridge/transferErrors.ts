// Makes errors keep their code and details across comlink's worker boundary:
// anything thrown in a worker arrives in the page as an AppError. Import this
// module once on both sides of a worker.

import { transferHandlers } from 'comlink';
import { AppError, type AppErrorData } from '../core/errors';

const builtIn = transferHandlers.get('throw');
if (!builtIn) throw new Error('comlink has no built-in throw handler to replace');

transferHandlers.set('throw', {
  // comlink marks thrown values with a private symbol; its own check finds it.
  canHandle: (value: unknown): value is unknown => builtIn.canHandle(value),
  serialize(thrown: unknown) {
    const { value } = thrown as { value: unknown };
    const data: AppErrorData = AppError.from(value, 'runtime-crashed').toJSON();
    return [data, []];
  },
  deserialize(data: unknown) {
    throw AppError.fromData(data as AppErrorData);
  },
});
