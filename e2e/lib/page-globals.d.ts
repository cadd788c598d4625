// What the e2e tests record inside the page (in page.evaluate), kept on the browser's globals.
export {};

/** A live-call row as a page saw it: when it first appeared, and each status it showed. */
interface SeenRow {
  firstSeenAt: number;
  statuses: (string | null)[];
}

declare global {
  // A global a script sets is declared with var.
  /** Live-call rows by call id (realtime.e2e.mjs). */
  var __liveSeen: Record<string, SeenRow> | undefined;
  /** Set on a page once; a reload loses it (realtime.e2e.mjs). */
  var __notReloaded: boolean | undefined;
  /** Every status the dialer showed, in order (dialer.e2e.mjs). */
  var dialerStatuses: string[];
}
