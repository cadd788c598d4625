import { ApiView } from '../api/api-schema';

/**
 * The numbers of `GET /api/dashboard/metrics` and of the `metrics:updated` push: today's figures
 * (since the organization's midnight), active calls by status, calls per hour of today, the
 * balance, and whose calls they count (the organization's for owners and admins, an agent's own).
 */
export type DashboardMetrics = ApiView<'DashboardMetrics'>;
