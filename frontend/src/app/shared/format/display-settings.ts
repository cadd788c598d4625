/**
 * How the console shows money and time: the organization's currency and time zone (its days are
 * "today", billing days, the dashboard's day) and the browser's locale for the order and spelling
 * of dates and numbers (en-GB reads 1/12/2026 and 18:55). Set once the signed-in user is known
 * (the shell), before any page renders; the formatting functions read it.
 */
export interface DisplaySettings {
  /** BCP 47 locale, the browser's. */
  locale: string;
  /** IANA zone of the organization; undefined: the browser's own. */
  timeZone: string | undefined;
  /** ISO 4217 code of the organization's wallet. */
  currency: string;
}

function browserLocale(): string {
  const language = typeof navigator === 'undefined' ? undefined : navigator.language;
  try {
    return language ? (Intl.getCanonicalLocales(language)[0] ?? 'en-US') : 'en-US';
  } catch {
    return 'en-US';
  }
}

let settings: DisplaySettings = { locale: browserLocale(), timeZone: undefined, currency: 'USD' };
let version = 0;
const listeners = new Set<() => void>();

export function displaySettings(): Readonly<DisplaySettings> {
  return settings;
}

/** Bumped on every change: caches of formatters compare it. */
export function displaySettingsVersion(): number {
  return version;
}

/** Applies the organization's settings (and optionally another locale, for tests). */
export function configureDisplay(change: Partial<DisplaySettings>): void {
  const next = { ...settings, ...change };
  if (
    next.locale === settings.locale &&
    next.timeZone === settings.timeZone &&
    next.currency === settings.currency
  ) {
    return;
  }
  settings = next;
  version++;
  for (const listener of listeners) listener();
}

/** The browser's IANA zone: the default of an organization that has not chosen one. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Called after every change (formatters rebuild their caches). */
export function onDisplayChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
