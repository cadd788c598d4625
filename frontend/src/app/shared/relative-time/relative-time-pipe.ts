import { Pipe, PipeTransform } from '@angular/core';

import { relativeTime } from './relative-time';

/** `{{ contact.lastCalledAt | relativeTime }}` → "2 days ago" (as of when the view was rendered). */
@Pipe({ name: 'relativeTime' })
export class RelativeTimePipe implements PipeTransform {
  transform(iso: string | null | undefined): string {
    return relativeTime(iso);
  }
}
