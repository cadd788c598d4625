import { EnvironmentProviders, Provider } from '@angular/core';
import { MAT_DATE_LOCALE, provideNativeDateAdapter } from '@angular/material/core';

import { displaySettings } from './display-settings';

/**
 * The date pickers' adapter, writing days in the browser's locale (12/2/2026 in en-US, 2/12/2026
 * in en-GB) like every other date of the console. For a component's `providers`.
 */
export function provideDateAdapter(): (Provider | EnvironmentProviders)[] {
  return [
    provideNativeDateAdapter(),
    { provide: MAT_DATE_LOCALE, useFactory: () => displaySettings().locale },
  ];
}
