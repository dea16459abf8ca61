import type { BackendKind } from '../../../store/backend.js';
import type { SeedView } from '../../adapter.js';
import { errorsView } from './errors.js';
import { mcpSql } from './fragments.js';
import { dailyToolUsageView, performanceMetricsView } from './metrics.js';
import {
  clientSessionsView,
  errorHotspotsView,
  sessionLifecycleView,
  sessionSummaryView,
} from './sessions.js';
import { toolExecutionsView } from './tool-executions.js';

/** The seed's outputs, in creation order (later views read earlier ones). */
export function mcpLogViews(kind: BackendKind): readonly SeedView[] {
  const q = mcpSql(kind);
  return [
    toolExecutionsView(q),
    errorsView(q),
    performanceMetricsView(q),
    clientSessionsView(q),
    sessionLifecycleView(q),
    dailyToolUsageView(q),
    sessionSummaryView(q),
    errorHotspotsView(),
  ];
}
