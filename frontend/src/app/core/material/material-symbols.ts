import { inject } from '@angular/core';
import { MatIconRegistry } from '@angular/material/icon';

/**
 * Makes `<mat-icon>` use the self-hosted Material Symbols font (no network at runtime). Called by
 * the two lazily loaded roots (login page and shell) rather than provided in `app.config.ts`, so
 * that Material stays out of the JavaScript `index.html` loads before the first route. The
 * registry is a root singleton: dialogs and every page see the setting too.
 */
export function useMaterialSymbols(): void {
  inject(MatIconRegistry).setDefaultFontSetClass('material-symbols-outlined', 'mat-ligature-font');
}
