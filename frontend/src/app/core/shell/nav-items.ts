/** One entry of the side navigation. */
export interface NavItem {
  id: string;
  label: string;
  icon: string;
  path: string;
  /** Visible to owners and admins only. */
  adminOnly?: boolean;
  /** Visible to owners only (in the administration group). */
  ownerOnly?: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'dashboard', label: 'Dashboard', icon: 'space_dashboard', path: '/dashboard' },
  { id: 'dialer', label: 'Dialer', icon: 'dialpad', path: '/dialer' },
  { id: 'history', label: 'Call history', icon: 'history', path: '/history' },
  { id: 'contacts', label: 'Contacts', icon: 'contacts', path: '/contacts' },
  {
    id: 'campaigns',
    label: 'Campaigns',
    icon: 'campaign',
    path: '/campaigns',
    adminOnly: true,
  },
  { id: 'billing', label: 'Billing', icon: 'receipt_long', path: '/billing' },
  { id: 'wallet', label: 'Wallet', icon: 'account_balance_wallet', path: '/wallet' },
  { id: 'admin', label: 'Users', icon: 'manage_accounts', path: '/admin/users', adminOnly: true },
  {
    id: 'do-not-call',
    label: 'Do not call',
    icon: 'phone_disabled',
    path: '/admin/do-not-call',
    adminOnly: true,
  },
  {
    id: 'webhook-events',
    label: 'Webhook events',
    icon: 'webhook',
    path: '/admin/webhook-events',
    adminOnly: true,
  },
  { id: 'audit', label: 'Audit log', icon: 'policy', path: '/admin/audit', adminOnly: true },
  {
    id: 'api-keys',
    label: 'API keys',
    icon: 'key',
    path: '/admin/api-keys',
    adminOnly: true,
    ownerOnly: true,
  },
  { id: 'webhooks', label: 'Webhooks', icon: 'send', path: '/admin/webhooks', adminOnly: true },
  { id: 'providers', label: 'Providers', icon: 'hub', path: '/admin/providers', adminOnly: true },
];
