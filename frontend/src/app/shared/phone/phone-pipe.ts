import { Pipe, PipeTransform } from '@angular/core';

import { formatPhone } from './phone';

/** `{{ contact.phone | phone }}`: an E.164 number grouped for reading. */
@Pipe({ name: 'phone' })
export class PhonePipe implements PipeTransform {
  transform(phone: string | null | undefined): string {
    return formatPhone(phone);
  }
}
