// The app's transformers worker, with `generate` wrapped to report its input ids:
// what the model received, as opposed to what the runtime says it sent.
import { PreTrainedModel, type Tensor } from '@huggingface/transformers';
import '../../../workers/transformers.worker';
import { PROMPT_IDS_CHANNEL } from './promptSpy';

const channel = new BroadcastChannel(PROMPT_IDS_CHANNEL);
const generate = PreTrainedModel.prototype.generate;
PreTrainedModel.prototype.generate = function (
  this: PreTrainedModel,
  options: Parameters<PreTrainedModel['generate']>[0],
) {
  const ids = (options as { input_ids?: Tensor }).input_ids;
  channel.postMessage(ids ? Array.from(ids.data as BigInt64Array, Number) : []);
  return generate.call(this, options);
};
