import { ChartConfiguration, TooltipItem } from 'chart.js';

import { BillingSummary } from '../../core/billing/billing';
import { formatMoney } from '../../shared/money/money';
import { periodDayKeys } from './billing-period';
import { displaySettings } from '../../shared/format/display-settings';

const SPEND_COLOR = '#4355b9';
const MINUTES_COLOR = '#0b7fab';

/**
 * The spend bars and the minutes line of a day-grouped summary, one point per day of the period.
 * Spend is plotted as a JS number (bar heights only); every figure shown as text comes from the
 * exact micros.
 */
export function spendChartConfig(summary: BillingSummary): ChartConfiguration {
  const days = periodDayKeys(summary.from, summary.to);
  const byDay = new Map(summary.groups.map((group) => [group.key, group]));
  const spendMicros = days.map((day) => byDay.get(day)?.spendMicros ?? '0');
  const minutes = days.map((day) => byDay.get(day)?.minutes ?? 0);
  const money = (micros: string | bigint) =>
    formatMoney(micros, 'cents', { currency: summary.currency });

  return {
    type: 'bar',
    data: {
      labels: days.map(dayLabel),
      datasets: [
        {
          type: 'bar',
          label: `Spend (${summary.currency})`,
          data: spendMicros.map((micros) => Number(micros) / 1_000_000),
          yAxisID: 'spend',
          backgroundColor: `${SPEND_COLOR}cc`,
          hoverBackgroundColor: SPEND_COLOR,
          borderRadius: 4,
          maxBarThickness: 36,
          order: 2,
        },
        {
          type: 'line',
          label: 'Minutes',
          data: minutes,
          yAxisID: 'minutes',
          borderColor: MINUTES_COLOR,
          backgroundColor: MINUTES_COLOR,
          pointRadius: days.length > 40 ? 0 : 3,
          pointHoverRadius: 5,
          borderWidth: 2,
          tension: 0.3,
          order: 1,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: {
          position: 'top',
          align: 'end',
          labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8, font: { family: 'Roboto' } },
        },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'bar' | 'line'>) =>
              item.dataset.yAxisID === 'spend'
                ? ` Spend: ${money(spendMicros[item.dataIndex])}`
                : ` Minutes: ${minutes[item.dataIndex]}`,
          },
        },
      },
      scales: {
        x: { grid: { display: false }, ticks: { font: { family: 'Roboto' }, maxRotation: 0 } },
        spend: {
          type: 'linear',
          position: 'left',
          beginAtZero: true,
          grace: '10%',
          title: { display: true, text: `Spend (${summary.currency})` },
          ticks: { callback: (value) => money(unitsToMicros(Number(value))) },
        },
        minutes: {
          type: 'linear',
          position: 'right',
          beginAtZero: true,
          grace: '10%',
          title: { display: true, text: 'Minutes' },
          grid: { drawOnChartArea: false },
        },
      },
    },
  };
}

/** `2026-11-21` → `Nov 21` (en-GB: `21 Nov`): a calendar day, so formatted as UTC's. */
function dayLabel(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(displaySettings().locale, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/** An axis tick (a plotted number, already approximate) back to micros for formatting. */
function unitsToMicros(units: number): bigint {
  return BigInt(Math.round(units * 1_000_000));
}
