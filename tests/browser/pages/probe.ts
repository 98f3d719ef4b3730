// Test page for the capability probe: runs the real probe in this browser and
// the planner on its report, for probe.spec.ts to check.
import { planModel } from '../../../src/core/planner';
import { runProbe } from '../../../src/probe/runProbe';

Object.assign(window, { harness: { runProbe, planModel } });
