import { ChartConfiguration, TooltipItem } from 'chart.js';

const BAR_COLOR = '#4355b9';

/**
 * Calls placed in each hour of the organization's today: the current hour stands out, hours still to come are
 * left blank rather than drawn as zero.
 */
export function callsPerHourChartConfig(
  callsPerHour: readonly number[],
  currentUtcHour: number,
): ChartConfiguration {
  const hours = Array.from({ length: 24 }, (_, hour) => hour);
  const label = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
  return {
    type: 'bar',
    data: {
      labels: hours.map(label),
      datasets: [
        {
          label: 'Calls',
          data: hours.map((hour) => (hour <= currentUtcHour ? (callsPerHour[hour] ?? 0) : null)),
          backgroundColor: hours.map((hour) =>
            hour === currentUtcHour ? BAR_COLOR : `${BAR_COLOR}80`,
          ),
          hoverBackgroundColor: BAR_COLOR,
          borderRadius: 4,
          maxBarThickness: 28,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: { duration: 250 },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items: TooltipItem<'bar'>[]) => {
              const hour = items[0]?.dataIndex ?? 0;
              return `${label(hour)}–${label((hour + 1) % 24)}`;
            },
            label: (item: TooltipItem<'bar'>) => {
              const calls = Number(item.raw ?? 0);
              return ` ${calls} ${calls === 1 ? 'call' : 'calls'}`;
            },
          },
        },
      },
      scales: {
        x: {
          grid: { display: false },
          ticks: {
            font: { family: 'Roboto' },
            maxRotation: 0,
            autoSkip: true,
            maxTicksLimit: 12,
          },
        },
        y: {
          beginAtZero: true,
          grace: '10%',
          ticks: { precision: 0, font: { family: 'Roboto' } },
          border: { display: false },
        },
      },
    },
  };
}
