import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

/** The placeholder shown by a page whose feature has not shipped yet. */
@Component({
  selector: 'sb-coming-soon',
  imports: [MatIconModule],
  templateUrl: './coming-soon.html',
  styleUrl: './coming-soon.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ComingSoon {
  /** Material Symbols ligature, e.g. `dialpad`. */
  readonly icon = input.required<string>();
  readonly heading = input.required<string>();
  readonly description = input.required<string>();
  /** Short phrases listing what the page will offer. */
  readonly highlights = input<readonly string[]>([]);
}
