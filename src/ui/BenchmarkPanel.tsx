// The benchmark on the Diagnostics screen: one tap measures the active model
// (load, time to first token, tokens per second, memory), results are kept on
// this device with date and app version, and Export saves them as JSON.

import { formatBytes } from '../core/progress';
import { appServices } from './appServices';
import {
  benchmarkError,
  benchmarkRunning,
  benchmarks,
  exportBenchmarks,
  runBenchmark,
} from './benchmark';
import { activeModel, generating } from './chatState';
import { errorText } from './errorText';

export function BenchmarkPanel() {
  const model = activeModel.value?.installed ?? null;
  return (
    <section aria-labelledby="benchmark-title" data-testid="benchmark">
      <h3 id="benchmark-title">Benchmark</h3>
      {!model ? (
        <p class="note">Install a model to benchmark it.</p>
      ) : (
        <div class="actions">
          <button
            type="button"
            class="primary"
            disabled={benchmarkRunning.value || generating.value}
            onClick={() => void runBenchmark(appServices().textEngine, model)}
          >
            {benchmarkRunning.value ? 'Measuring…' : `Benchmark ${model.manifest.name}`}
          </button>
          <button type="button" disabled={benchmarks.value.length === 0} onClick={exportBenchmarks}>
            Export results
          </button>
        </div>
      )}
      {benchmarkError.value && (
        <p class="error" role="alert">
          The benchmark failed: {errorText(benchmarkError.value)}
        </p>
      )}
      {benchmarks.value.length > 0 && (
        <div class="table-scroll">
          <table class="results" data-testid="benchmark-results">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Model</th>
                <th scope="col">Load</th>
                <th scope="col">First token</th>
                <th scope="col">Speed</th>
                <th scope="col">Memory</th>
                <th scope="col">App</th>
              </tr>
            </thead>
            <tbody>
              {benchmarks.value.map((b) => (
                <tr key={b.at}>
                  <td>{new Date(b.at).toLocaleString()}</td>
                  <td>{b.modelName}</td>
                  <td>{b.loadMs} ms</td>
                  <td>{b.timeToFirstTokenMs} ms</td>
                  <td>{b.tokensPerSecond} tok/s</td>
                  <td>{b.memoryBytes === null ? 'not measurable' : formatBytes(b.memoryBytes)}</td>
                  <td>v{b.appVersion}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
