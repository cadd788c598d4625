/** The numbers of `GET /api/dashboard/metrics` and of the `metrics:updated` push. */
export interface DashboardMetrics {
  /** Calls not ended yet, by status. */
  activeCalls: { initiated: number; ringing: number; in_progress: number; total: number };
  /** Since midnight in the organization's time zone. */
  today: {
    calls: number;
    answered: number;
    /** 0..1 */
    answerRate: number;
    /** Billable minutes, one decimal. */
    minutes: number;
    spendMicros: string;
    spend: string;
  };
  /** Calls placed in each hour of the organization's today (24 numbers). */
  callsPerHour: number[];
  /** The organization's IANA time zone. */
  timeZone: string;
  balance: { balanceMicros: string; heldMicros: string; availableMicros: string };
  /** Whose calls these count: the organization's (owners, admins) or the agent's own. */
  scope: 'organization' | 'agent';
  generatedAt: string;
}
