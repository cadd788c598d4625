/**
 * Default calling hours per country and the callee's local time from the number (docs/calling-hours.md).
 * Pure functions: no clock of their own (callers pass `at`), no I/O.
 */

/** A daily window in local wall-clock time, `HH:MM`, end exclusive (end > start). */
export interface DailyHours {
  start: string;
  end: string;
}

/** A campaign's weekly window: ISO days (1 = Monday … 7 = Sunday), local `HH:MM`. */
export interface WeeklyWindow extends DailyHours {
  days: number[];
}

/**
 * The hours calls may reach a callee, by the callee's country. Sources: US TCPA (47 CFR
 * 64.1200(c)(1): 8 a.m.–9 p.m. local), India TRAI TCCCPR (9 a.m.–9 p.m.), Canada CRTC
 * telemarketing rules (9 a.m.–9:30 p.m. weekdays), UK Ofcom/DMA guidance (8 a.m.–9 p.m.),
 * France (10 a.m.–8 p.m. since 2023), Australia (9 a.m.–8 p.m. weekdays). Everywhere else:
 * FALLBACK_CALLING_HOURS. Weekday/holiday differences are not modelled; a campaign narrows them
 * with its own windows.
 */
export const DEFAULT_CALLING_HOURS: Record<string, DailyHours> = {
  US: { start: '08:00', end: '21:00' },
  CA: { start: '09:00', end: '21:30' },
  IN: { start: '09:00', end: '21:00' },
  GB: { start: '08:00', end: '21:00' },
  IE: { start: '09:00', end: '21:00' },
  AU: { start: '09:00', end: '20:00' },
  NZ: { start: '09:00', end: '20:00' },
  FR: { start: '10:00', end: '20:00' },
  DE: { start: '08:00', end: '20:00' },
};
export const FALLBACK_CALLING_HOURS: DailyHours = { start: '09:00', end: '20:00' };

/** Countries in one zone (or treated as one); multi-zone countries are in MULTI_ZONE. */
const COUNTRY_ZONE: Record<string, string> = {
  IN: 'Asia/Kolkata',
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  FR: 'Europe/Paris',
  DE: 'Europe/Berlin',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  NL: 'Europe/Amsterdam',
  BE: 'Europe/Brussels',
  CH: 'Europe/Zurich',
  AT: 'Europe/Vienna',
  SE: 'Europe/Stockholm',
  NO: 'Europe/Oslo',
  DK: 'Europe/Copenhagen',
  FI: 'Europe/Helsinki',
  PL: 'Europe/Warsaw',
  PT: 'Europe/Lisbon',
  GR: 'Europe/Athens',
  TR: 'Europe/Istanbul',
  IL: 'Asia/Jerusalem',
  AE: 'Asia/Dubai',
  SA: 'Asia/Riyadh',
  PK: 'Asia/Karachi',
  BD: 'Asia/Dhaka',
  LK: 'Asia/Colombo',
  NP: 'Asia/Kathmandu',
  SG: 'Asia/Singapore',
  MY: 'Asia/Kuala_Lumpur',
  TH: 'Asia/Bangkok',
  VN: 'Asia/Ho_Chi_Minh',
  PH: 'Asia/Manila',
  CN: 'Asia/Shanghai',
  HK: 'Asia/Hong_Kong',
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  NZ: 'Pacific/Auckland',
  ZA: 'Africa/Johannesburg',
  NG: 'Africa/Lagos',
  KE: 'Africa/Nairobi',
  EG: 'Africa/Cairo',
  AR: 'America/Argentina/Buenos_Aires',
  CL: 'America/Santiago',
  CO: 'America/Bogota',
  PE: 'America/Lima',
};

/** Countries spanning several zones: every zone, for the most restrictive reading. */
const MULTI_ZONE: Record<string, string[]> = {
  US: [
    'America/New_York',
    'America/Chicago',
    'America/Denver',
    'America/Phoenix',
    'America/Los_Angeles',
    'America/Anchorage',
    'Pacific/Honolulu',
  ],
  CA: [
    'America/St_Johns',
    'America/Halifax',
    'America/Toronto',
    'America/Winnipeg',
    'America/Regina',
    'America/Edmonton',
    'America/Vancouver',
  ],
  AU: [
    'Australia/Sydney',
    'Australia/Brisbane',
    'Australia/Adelaide',
    'Australia/Darwin',
    'Australia/Perth',
  ],
  BR: ['America/Noronha', 'America/Sao_Paulo', 'America/Manaus', 'America/Rio_Branco'],
  MX: ['America/Cancun', 'America/Mexico_City', 'America/Chihuahua', 'America/Tijuana'],
  ID: ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'],
  RU: [
    'Europe/Kaliningrad',
    'Europe/Moscow',
    'Asia/Yekaterinburg',
    'Asia/Novosibirsk',
    'Asia/Irkutsk',
    'Asia/Vladivostok',
    'Asia/Kamchatka',
  ],
};

/**
 * North American area codes whose whole territory lies in one zone (codes split between zones,
 * e.g. 850, 812, 208, are left out and read the most restrictive way).
 */
const NANP_ZONES: Record<string, string> = {};
const nanp = (zone: string, codes: string) => {
  for (const code of codes.split(/\s+/).filter(Boolean)) NANP_ZONES[code] = zone;
};
nanp(
  'America/New_York',
  `203 475 860 959 302 202 771 239 305 321 352 386 407 561 689 727 754 772 786 813 863 904 941 954
   229 404 470 478 678 706 762 770 912 943 207 240 301 410 443 667 339 351 413 508 617 774 781 857
   978 231 248 269 313 517 586 616 734 810 947 989 603 201 551 609 640 732 848 856 862 908 973 212
   315 332 347 516 518 585 607 631 646 680 716 718 838 845 914 917 929 934 252 336 704 743 828 910
   919 980 984 216 220 234 283 326 330 380 419 440 513 567 614 740 937 215 223 267 272 412 445 484
   570 582 610 717 724 814 835 878 401 803 839 843 854 864 802 276 434 540 571 703 757 804 826 948
   304 681 260 317 463 574 765 502 606 859 423 865`,
);
nanp(
  'America/Chicago',
  `205 251 256 334 659 938 479 501 870 217 224 309 312 331 447 464 618 630 708 773 779 815 847 872
   319 515 563 641 712 316 620 785 913 225 318 337 504 985 218 320 507 612 651 763 952 228 601 662
   769 314 417 557 573 636 660 816 402 531 405 539 580 918 210 214 254 281 325 346 361 409 430 432
   469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 972 979 262 274 414 534 608 715 920
   615 629 731 901 931 270 364`,
);
nanp('America/Denver', '303 719 720 970 983 406 505 575 385 435 801 307 915');
nanp('America/Phoenix', '480 520 602 623 928');
nanp(
  'America/Los_Angeles',
  `209 213 279 310 323 341 350 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714
   747 760 805 818 820 831 840 858 909 916 925 949 951 702 725 775 458 503 541 971 206 253 360 425
   509 564`,
);
nanp('America/Anchorage', '907');
nanp('Pacific/Honolulu', '808');
nanp(
  'America/Toronto',
  '226 249 289 343 365 416 437 519 548 613 647 705 905 418 438 450 514 579 581 819 873',
);
nanp('America/Vancouver', '236 250 604 672 778');
nanp('America/Edmonton', '403 587 780 825');
nanp('America/Regina', '306 639');
nanp('America/Winnipeg', '204 431');
nanp('America/Halifax', '782 902 506');
nanp('America/St_Johns', '709');

/**
 * The zones a callee may be in, most precise first: one zone when the number says (a single-zone
 * country, a North American area code), every zone of the country otherwise, UTC when the
 * country is unknown to the table.
 */
export function calleeZones(e164: string, country: string | null): string[] {
  if ((country === 'US' || country === 'CA') && e164.startsWith('+1')) {
    const zone = NANP_ZONES[e164.slice(2, 5)];
    if (zone) return [zone];
  }
  if (country && COUNTRY_ZONE[country]) return [COUNTRY_ZONE[country]];
  if (country && MULTI_ZONE[country]) return MULTI_ZONE[country];
  return ['UTC'];
}

/**
 * A compact key for the zones of a number: the zone itself, or `XX*` for "every zone of XX"
 * (campaigns store it per contact and group contacts by it).
 */
export function zoneKeyOf(e164: string, country: string | null): string {
  const zones = calleeZones(e164, country);
  return zones.length === 1 ? zones[0] : `${country}*`;
}

export function zonesOfKey(key: string): string[] {
  return key.endsWith('*') ? (MULTI_ZONE[key.slice(0, -1)] ?? ['UTC']) : [key];
}

export function callingHoursOf(country: string | null): DailyHours {
  return (country && DEFAULT_CALLING_HOURS[country]) || FALLBACK_CALLING_HOURS;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Local wall-clock time in a zone: ISO weekday, minutes since midnight, and `HH:MM`. */
export function localClock(at: Date, zone: string): { day: number; minutes: number; hhmm: string } {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, format);
  }
  let day = 1;
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(at)) {
    if (part.type === 'weekday') day = WEEKDAYS[part.value] ?? 1;
    else if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  const hhmm = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  return { day, minutes: hour * 60 + minute, hhmm };
}

export const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

const inside = (minutes: number, hours: DailyHours) =>
  minutes >= minutesOf(hours.start) && minutes < minutesOf(hours.end);

export interface HoursVerdict {
  allowed: boolean;
  /** The zone that decided (the first one outside hours, or the first zone). */
  zone: string;
  localTime: string;
  hours: DailyHours;
  /** Why not, naming the rule; null when allowed. */
  reason: string | null;
}

/**
 * Whether a call may reach this number at `at` under the default calling hours of its country
 * and, when given, a campaign's weekly windows (read in `windowZone`, or the callee's zone when
 * null). With several candidate zones the call must be allowed in every one of them.
 */
export function checkCallingHours(
  e164: string,
  country: string | null,
  at: Date,
  campaign?: { windows?: WeeklyWindow[] | null; timeZone?: string | null; zoneKey?: string },
): HoursVerdict {
  const hours = callingHoursOf(country);
  const zones = campaign?.zoneKey ? zonesOfKey(campaign.zoneKey) : calleeZones(e164, country);
  for (const zone of zones) {
    const clock = localClock(at, zone);
    if (!inside(clock.minutes, hours)) {
      return {
        allowed: false,
        zone,
        localTime: clock.hhmm,
        hours,
        reason: `outside calling hours: it is ${clock.hhmm} in ${zone} for ${e164}, and calls to ${country ?? 'this country'} numbers are allowed ${hours.start}–${hours.end} local time`,
      };
    }
    if (campaign?.windows?.length && !campaign.timeZone) {
      if (!insideWindows(campaign.windows, clock)) {
        return {
          allowed: false,
          zone,
          localTime: clock.hhmm,
          hours,
          reason: `outside the campaign's calling windows: it is ${clock.hhmm} in ${zone}`,
        };
      }
    }
  }
  if (campaign?.windows?.length && campaign.timeZone) {
    const clock = localClock(at, campaign.timeZone);
    if (!insideWindows(campaign.windows, clock)) {
      return {
        allowed: false,
        zone: campaign.timeZone,
        localTime: clock.hhmm,
        hours,
        reason: `outside the campaign's calling windows: it is ${clock.hhmm} in ${campaign.timeZone}`,
      };
    }
  }
  const clock = localClock(at, zones[0]);
  return { allowed: true, zone: zones[0], localTime: clock.hhmm, hours, reason: null };
}

export function insideWindows(
  windows: WeeklyWindow[],
  clock: { day: number; minutes: number },
): boolean {
  return windows.some((window) => window.days.includes(clock.day) && inside(clock.minutes, window));
}

/**
 * The first minute from `from` (within `horizonMs`, one week and a day by default) when `isOpen`
 * holds; null when it never does. Minute steps on minute boundaries: windows are whole minutes.
 */
export function nextOpening(
  from: Date,
  isOpen: (at: Date) => boolean,
  horizonMs = 8 * 24 * 3600_000,
): Date | null {
  if (isOpen(from)) return from;
  const start = Math.ceil(from.getTime() / 60_000) * 60_000;
  for (let t = start; t <= from.getTime() + horizonMs; t += 60_000) {
    const at = new Date(t);
    if (isOpen(at)) return at;
  }
  return null;
}

/** Whether a string names a time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
