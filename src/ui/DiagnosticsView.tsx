// The diagnostics screen: the benchmark, what the capability probe found, the
// plan for every model (best first, with reasons), and an export of both as JSON.
// The probe and planner load and run only when this screen opens.

import { signal, useSignalEffect } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { DiagnosticsModel } from '../core/diagnosticsExport';
import { AppError } from '../core/errors';
import type { ModelPlanResult } from '../core/planner';
import type { ProbeReport } from '../core/probeReport';
import { formatBytes } from '../core/progress';
import { BenchmarkPanel } from './BenchmarkPanel';
import { catalog, type ModelRow } from './catalogState';
import { errorText } from './errorText';
import { manifestForRow } from './modelPlan';

const report = signal<ProbeReport | null>(null);
const probeError = signal<AppError | null>(null);
const models = signal<DiagnosticsModel[]>([]);

const loadTools = () =>
  Promise.all([
    import('../probe/runProbe'),
    import('../core/planner'),
    import('../core/diagnosticsExport'),
  ]);

async function probeNow(): Promise<void> {
  report.value = null;
  probeError.value = null;
  try {
    const [{ runProbe }] = await loadTools();
    report.value = await runProbe();
  } catch (error) {
    probeError.value = AppError.from(error, 'internal');
  }
}

async function planRow(row: ModelRow, probe: ProbeReport): Promise<DiagnosticsModel> {
  const [, { planModel, plannerModelFromManifest }] = await loadTools();
  const base = {
    id: row.id,
    name: row.name,
    version: row.version,
    framework: row.framework,
    manifestUrl: row.manifestUrl,
  };
  try {
    const manifest = await manifestForRow(row);
    return { ...base, plan: planModel(probe, plannerModelFromManifest(manifest)), error: null };
  } catch (error) {
    return { ...base, plan: null, error: error instanceof Error ? error.message : String(error) };
  }
}

async function exportJson(): Promise<void> {
  const probe = report.value;
  if (!probe) return;
  const [, , { buildDiagnosticsExport, diagnosticsFileName }] = await loadTools();
  const exportedAt = new Date();
  const data = buildDiagnosticsExport({ report: probe, models: models.value, exportedAt });
  const blob = new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = diagnosticsFileName(exportedAt);
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function DiagnosticsView() {
  useEffect(() => {
    void probeNow();
  }, []);
  // Re-plan whenever the report or the catalog changes (the catalog may arrive after the probe).
  useSignalEffect(() => {
    const probe = report.value;
    const rows = catalog.value;
    if (!probe) return;
    let current = true;
    void Promise.all(rows.map((row) => planRow(row, probe))).then((planned) => {
      if (current) models.value = planned;
    });
    return () => {
      current = false;
    };
  });

  const probe = report.value;
  return (
    <section class="screen" aria-labelledby="diagnostics-title" data-testid="diagnostics">
      <h2 id="diagnostics-title">Diagnostics</h2>
      <p>
        <button
          type="button"
          onClick={() => void probeNow()}
          disabled={!probe && !probeError.value}
        >
          Run again
        </button>{' '}
        <button type="button" class="primary" onClick={() => void exportJson()} disabled={!probe}>
          Export JSON
        </button>
      </p>
      <BenchmarkPanel />
      <h3>This browser</h3>
      {probeError.value && (
        <p class="error" role="alert">
          The probe failed: {errorText(probeError.value)}
        </p>
      )}
      {!probe && !probeError.value && <p class="note">Probing this browser…</p>}
      {probe && <ReportSections report={probe} />}
      {probe && (
        <>
          <h3>Models on this device</h3>
          {catalog.value.length === 0 && <p class="note">No catalog loaded yet.</p>}
          <ul class="model-list">
            {models.value.map((model) => (
              <ModelPlans key={model.id} model={model} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

const yesNo = (value: boolean | null) => (value === null ? 'unknown' : value ? 'yes' : 'no');
const bytesOr = (value: number | null, missing: string) =>
  value === null ? missing : formatBytes(value);

function ReportSections({ report: r }: { report: ProbeReport }) {
  const adapter = r.webgpu.adapter;
  const sections: Array<[string, Array<[string, string]>]> = [
    [
      'Device',
      [
        ['Platform', `${r.platform.os}${r.platform.osVersion ? ` ${r.platform.osVersion}` : ''}`],
        [
          'Browser',
          `${r.platform.browser} ${r.platform.browserVersion ?? ''} (${r.platform.engine})`,
        ],
        ['Mobile', yesNo(r.platform.mobile)],
        ['Touch points', String(r.platform.maxTouchPoints)],
        ['Cores', r.device.cores === null ? 'not reported' : String(r.device.cores)],
        [
          'Device memory',
          r.device.deviceMemoryGB === null ? 'not reported' : `${r.device.deviceMemoryGB} GB`,
        ],
        ['JS heap limit', bytesOr(r.device.jsHeapSizeLimit, 'not reported')],
      ],
    ],
    [
      'WebGPU',
      [
        ['API', yesNo(r.webgpu.api)],
        [
          'Adapter',
          adapter
            ? `${[adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ') || 'unnamed'}${adapter.isFallbackAdapter ? ' (software fallback)' : ''}`
            : 'none',
        ],
        ['shader-f16', yesNo(adapter ? adapter.features.includes('shader-f16') : null)],
        ['subgroups', yesNo(adapter ? adapter.features.includes('subgroups') : null)],
        ['Max buffer size', bytesOr(adapter?.limits.maxBufferSize ?? null, '—')],
        ['Max storage binding', bytesOr(adapter?.limits.maxStorageBufferBindingSize ?? null, '—')],
        ['Features', adapter ? adapter.features.join(', ') || 'none' : '—'],
      ],
    ],
    [
      'WebAssembly',
      [
        ['SIMD', yesNo(r.wasm.simd)],
        ['Relaxed SIMD', yesNo(r.wasm.relaxedSimd)],
        ['Threads', yesNo(r.wasm.threads)],
        ['Shared memory', yesNo(r.wasm.sharedMemory)],
        ['Memory64', yesNo(r.wasm.memory64)],
        ['JSPI', yesNo(r.wasm.jspi)],
        ['Cross-origin isolated', yesNo(r.isolation.crossOriginIsolated)],
        ['SharedArrayBuffer', yesNo(r.isolation.sharedArrayBuffer)],
      ],
    ],
    [
      'Storage',
      [
        ['Quota', bytesOr(r.storage.quotaBytes, 'unknown')],
        ['Used', bytesOr(r.storage.usageBytes, 'unknown')],
        ['Persisted', yesNo(r.storage.persisted)],
        ['OPFS (page)', yesNo(r.storage.opfs)],
        ['OPFS (worker)', yesNo(r.storage.workerOpfs)],
        ['Sync access handle (worker)', yesNo(r.storage.syncAccessHandle)],
      ],
    ],
    [
      'Built-in AI',
      [
        ['WebNN', r.webnn.api ? (r.webnn.context ? 'context created' : 'no context') : 'none'],
        ['Prompt API', r.promptApi.api ? (r.promptApi.availability ?? 'no answer') : 'none'],
      ],
    ],
  ];
  return (
    <div data-testid="probe-report">
      {sections.map(([title, rows]) => (
        <details key={title} open>
          <summary>{title}</summary>
          <table>
            <tbody>
              {rows.map(([label, value]) => (
                <tr key={label}>
                  <th scope="row" style={{ textAlign: 'left', paddingRight: '1em' }}>
                    {label}
                  </th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ))}
      <p class="note">
        Probed in {r.durationMs} ms at {r.probedAt}.
        {r.issues.length > 0 &&
          ` Steps that failed: ${r.issues.map((i) => `${i.step} (${i.message})`).join('; ')}.`}
      </p>
    </div>
  );
}

function ModelPlans({ model }: { model: DiagnosticsModel }) {
  return (
    <li class="model-card" data-testid={`plan-${model.id}`}>
      <div class="model-head">
        <h3>{model.name}</h3>
        <span class="model-meta">
          v{model.version} · {model.framework}
        </span>
      </div>
      {model.error && <p class="error">Could not plan: {model.error}</p>}
      {model.plan && <PlanList plan={model.plan} />}
    </li>
  );
}

function PlanList({ plan }: { plan: ModelPlanResult }) {
  return (
    <>
      {plan.plans.length === 0 && <p class="error">This device cannot run any variant.</p>}
      <ol>
        {plan.plans.map((p, i) => (
          <li key={`${p.backend}-${p.dtype}-${i}`}>
            <strong>
              {p.backend} · {p.dtype}
              {p.threads > 0 ? ` · ${p.threads} thread${p.threads === 1 ? '' : 's'}` : ''}
            </strong>
            {i === 0 ? ' (chosen)' : ''}
            <ul>
              {p.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      {plan.refused.length > 0 && (
        <ul>
          {plan.refused.map((r, i) => (
            <li key={`${r.variant.backend}-${r.variant.dtype}-${i}`}>
              Refused {r.variant.backend} · {r.variant.dtype}: {r.reasons.join('; ')}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
