import {
  callingHoursOf,
  insideWindows,
  localClock,
  minutesOf,
  nextOpening,
  WeeklyWindow,
  zoneKeyOf,
  zonesOfKey,
} from '../calls/calling-hours';
import { CampaignSchedule } from './entities/campaign.entity';

/** A contact's group for the scheduler: `country|zone` (zone `XX*`: every zone of XX). */
export function contactZoneKey(e164: string, country: string | null): string {
  return `${country ?? '--'}|${zoneKeyOf(e164, country)}`;
}

/**
 * Whether contacts of a zone key may be called at `at`: the default calling hours of their
 * country (unless off) in every zone they may be in, the campaign's windows in its own zone or
 * theirs, and its start time.
 */
export function zoneOpen(
  key: string,
  schedule: CampaignSchedule,
  at: Date,
  enforceHours: boolean,
): boolean {
  if (schedule.startAt && at.getTime() < Date.parse(schedule.startAt)) return false;
  const [countryPart, zonePart] = key.split('|');
  const country = countryPart === '--' ? null : countryPart;
  const hours = callingHoursOf(country);
  const windows: WeeklyWindow[] = schedule.windows ?? [];
  for (const zone of zonesOfKey(zonePart)) {
    const clock = localClock(at, zone);
    if (
      enforceHours &&
      !(clock.minutes >= minutesOf(hours.start) && clock.minutes < minutesOf(hours.end))
    ) {
      return false;
    }
    if (windows.length && !schedule.timeZone && !insideWindows(windows, clock)) return false;
  }
  if (windows.length && schedule.timeZone) {
    return insideWindows(windows, localClock(at, schedule.timeZone));
  }
  return true;
}

/** When a zone key opens next (within eight days), or null when it never does. */
export function zoneOpensAt(
  key: string,
  schedule: CampaignSchedule,
  from: Date,
  enforceHours: boolean,
): Date | null {
  const start =
    schedule.startAt && Date.parse(schedule.startAt) > from.getTime()
      ? new Date(schedule.startAt)
      : from;
  return nextOpening(start, (at) => zoneOpen(key, schedule, at, enforceHours));
}
