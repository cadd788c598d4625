import { Routes } from '@angular/router';

import { pageTitle } from '../../core/page-title';
import { SetupPage } from './setup-page';

/** The one-time setup link's page (`/setup/:token`): outside the shell, loaded lazily. */
export const SETUP_ROUTES: Routes = [
  { path: '', title: pageTitle('Choose your password'), component: SetupPage },
];

export default SETUP_ROUTES;
