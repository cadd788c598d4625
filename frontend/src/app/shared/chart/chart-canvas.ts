import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  afterNextRender,
  effect,
  inject,
  input,
  untracked,
  viewChild,
} from '@angular/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  ChartConfiguration,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';

// Only the parts the console draws, so the rest of Chart.js stays out of the bundle.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Filler,
  Legend,
  Tooltip,
);

/**
 * A Chart.js chart on a canvas: created after the first render, updated in place when `config`
 * changes (same type) or rebuilt (other type), destroyed with the component.
 */
@Component({
  selector: 'sb-chart',
  template: `<canvas #canvas role="img" [attr.aria-label]="label()"></canvas>`,
  styles: `
    :host {
      position: relative;
      display: block;
      min-height: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChartCanvas {
  readonly config = input.required<ChartConfiguration>();
  /** What the chart shows, for screen readers (the data is also in a table). */
  readonly label = input.required<string>();

  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private chart: Chart | null = null;
  private rendered = false;

  constructor() {
    afterNextRender(() => {
      this.rendered = true;
      this.draw(untracked(this.config));
    });
    effect(() => {
      const config = this.config();
      if (this.rendered) untracked(() => this.draw(config));
    });
    inject(DestroyRef).onDestroy(() => {
      this.chart?.destroy();
      this.chart = null;
    });
  }

  private draw(config: ChartConfiguration): void {
    const chart = this.chart;
    if (chart && (chart.config as ChartConfiguration).type === config.type) {
      chart.data = config.data;
      if (config.options) chart.options = config.options;
      chart.update();
      return;
    }
    chart?.destroy();
    this.chart = new Chart(this.canvas().nativeElement, config);
  }
}
