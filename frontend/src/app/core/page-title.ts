export const PRODUCT_NAME = 'Switchboard';

/**
 * A route's document title, "Page · Switchboard". Written into the (lazily loaded) route configs
 * rather than a custom TitleStrategy, whose class would sit in the initial JavaScript.
 */
export function pageTitle(page: string): string {
  return `${page} · ${PRODUCT_NAME}`;
}
