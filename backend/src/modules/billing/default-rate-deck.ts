/**
 * The sample default rate deck Switchboard seeds: per-minute prices in USD for a few dozen
 * destinations. SAMPLE PRICES for development and demos, not anyone's tariff.
 */
export interface DefaultRate {
  prefix: string;
  description: string;
  /** USD per minute, as text (converted to micros exactly). */
  perMinute: string;
  increments: [number, number];
  minimumSeconds?: number;
}

export const DEFAULT_RATE_DECK: DefaultRate[] = [
  {
    prefix: '1',
    description: 'United States / Canada (sample)',
    perMinute: '0.0130',
    increments: [6, 6],
  },
  {
    prefix: '1212',
    description: 'United States, New York City (sample)',
    perMinute: '0.0100',
    increments: [6, 6],
  },
  {
    prefix: '44',
    description: 'United Kingdom (sample)',
    perMinute: '0.0200',
    increments: [60, 60],
  },
  {
    prefix: '4420',
    description: 'United Kingdom, London (sample)',
    perMinute: '0.0150',
    increments: [60, 60],
  },
  {
    prefix: '447',
    description: 'United Kingdom, mobile (sample)',
    perMinute: '0.0350',
    increments: [60, 60],
  },
  { prefix: '33', description: 'France (sample)', perMinute: '0.0250', increments: [60, 60] },
  { prefix: '49', description: 'Germany (sample)', perMinute: '0.0220', increments: [60, 60] },
  { prefix: '34', description: 'Spain (sample)', perMinute: '0.0240', increments: [60, 60] },
  { prefix: '39', description: 'Italy (sample)', perMinute: '0.0240', increments: [60, 60] },
  { prefix: '31', description: 'Netherlands (sample)', perMinute: '0.0260', increments: [60, 60] },
  { prefix: '32', description: 'Belgium (sample)', perMinute: '0.0280', increments: [60, 60] },
  { prefix: '41', description: 'Switzerland (sample)', perMinute: '0.0300', increments: [60, 60] },
  { prefix: '46', description: 'Sweden (sample)', perMinute: '0.0220', increments: [60, 60] },
  { prefix: '47', description: 'Norway (sample)', perMinute: '0.0240', increments: [60, 60] },
  { prefix: '45', description: 'Denmark (sample)', perMinute: '0.0220', increments: [60, 60] },
  { prefix: '353', description: 'Ireland (sample)', perMinute: '0.0240', increments: [60, 60] },
  { prefix: '351', description: 'Portugal (sample)', perMinute: '0.0250', increments: [60, 60] },
  { prefix: '48', description: 'Poland (sample)', perMinute: '0.0300', increments: [60, 60] },
  { prefix: '90', description: 'Turkey (sample)', perMinute: '0.0900', increments: [60, 60] },
  { prefix: '91', description: 'India (sample)', perMinute: '0.0090', increments: [30, 6] },
  {
    prefix: '971',
    description: 'United Arab Emirates (sample)',
    perMinute: '0.1200',
    increments: [60, 60],
  },
  {
    prefix: '966',
    description: 'Saudi Arabia (sample)',
    perMinute: '0.1100',
    increments: [60, 60],
  },
  { prefix: '65', description: 'Singapore (sample)', perMinute: '0.0200', increments: [1, 1] },
  { prefix: '852', description: 'Hong Kong (sample)', perMinute: '0.0180', increments: [1, 1] },
  { prefix: '81', description: 'Japan (sample)', perMinute: '0.0600', increments: [60, 60] },
  { prefix: '82', description: 'South Korea (sample)', perMinute: '0.0400', increments: [60, 60] },
  { prefix: '86', description: 'China (sample)', perMinute: '0.0250', increments: [60, 60] },
  { prefix: '61', description: 'Australia (sample)', perMinute: '0.0350', increments: [60, 60] },
  { prefix: '64', description: 'New Zealand (sample)', perMinute: '0.0400', increments: [60, 60] },
  { prefix: '55', description: 'Brazil (sample)', perMinute: '0.0450', increments: [60, 60] },
  { prefix: '52', description: 'Mexico (sample)', perMinute: '0.0300', increments: [60, 60] },
  { prefix: '27', description: 'South Africa (sample)', perMinute: '0.0600', increments: [60, 60] },
  { prefix: '234', description: 'Nigeria (sample)', perMinute: '0.1500', increments: [60, 60] },
  { prefix: '254', description: 'Kenya (sample)', perMinute: '0.1200', increments: [60, 60] },
  { prefix: '62', description: 'Indonesia (sample)', perMinute: '0.0800', increments: [60, 60] },
  { prefix: '63', description: 'Philippines (sample)', perMinute: '0.1500', increments: [60, 60] },
  { prefix: '20', description: 'Egypt (sample)', perMinute: '0.1800', increments: [60, 60] },
];
