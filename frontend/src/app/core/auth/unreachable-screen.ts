import { AuthService } from './auth-service';

/** The screen's look: plain CSS, since it is plain DOM (see showUnreachableScreen). */
const STYLES = `
  .sb-unreachable {
    position: fixed; inset: 0; z-index: 1000; display: grid; place-items: center; padding: 24px;
    background: #f7f8fc; font-family: Roboto, system-ui, sans-serif; color: #1b1b21;
  }
  .sb-unreachable .card { max-width: 420px; text-align: center; }
  .sb-unreachable h1 { margin: 16px 0 8px; font-size: 22px; font-weight: 500; }
  .sb-unreachable p { margin: 4px 0; }
  .sb-unreachable .muted { color: #5d5e66; font-variant-numeric: tabular-nums; }
  .sb-unreachable button {
    margin-top: 20px; padding: 10px 24px; border: none; border-radius: 20px; background: #3f51b5;
    color: #fff; font: inherit; font-weight: 500; cursor: pointer;
  }
  .sb-unreachable button:focus-visible { outline: 3px solid #1b1b21; outline-offset: 2px; }
  .sb-unreachable .spinner {
    width: 36px; height: 36px; margin: 0 auto; border: 4px solid #dfe0ff;
    border-top-color: #3f51b5; border-radius: 50%; animation: sb-spin 1s linear infinite;
  }
  @keyframes sb-spin { to { transform: rotate(360deg); } }
  @media (prefers-reduced-motion: reduce) { .sb-unreachable .spinner { animation: none; } }
`;

/**
 * "Can't reach Switchboard, retrying": shown over the page while the api cannot be reached at
 * start-up. The address stays as it is, and the page opens there once the api answers. Plain DOM
 * rather than an Angular component: creating a component outside the routed views would bring
 * Angular's dynamic-creation code into the initial bundle, which has no room for it; this file
 * loads only when the api cannot be reached. Returns what removes it.
 */
export function showUnreachableScreen(auth: AuthService): () => void {
  const element = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attributes: Record<string, string> = {},
    text = '',
  ) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.textContent = text;
    return node;
  };
  const style = element('style', {}, STYLES);
  const screen = element('div', {
    class: 'sb-unreachable',
    role: 'alert',
    'aria-live': 'assertive',
    'data-testid': 'unreachable-screen',
  });
  const card = element('div', { class: 'card' });
  const reason = element('p', { 'data-testid': 'unreachable-reason' });
  const countdown = element('p', { class: 'muted', 'data-testid': 'unreachable-countdown' });
  const retry = element(
    'button',
    { type: 'button', 'data-testid': 'unreachable-retry' },
    'Retry now',
  );
  retry.addEventListener('click', () => auth.retryNow());
  card.append(
    element('div', { class: 'spinner', 'aria-hidden': 'true' }),
    element('h1', {}, 'Can’t reach Switchboard, retrying'),
    reason,
    countdown,
    retry,
  );
  screen.append(card);

  const render = () => {
    const state = auth.unreachable();
    if (!state) return;
    reason.textContent = state.status
      ? `The server answered ${state.status}.`
      : 'No answer from the server (network error).';
    const secondsLeft = Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000));
    countdown.textContent = `Attempt ${state.attempt} failed · trying again in ${secondsLeft} s`;
  };
  render();
  const ticker = setInterval(render, 500);
  document.head.append(style);
  document.body.append(screen);
  return () => {
    clearInterval(ticker);
    screen.remove();
    style.remove();
  };
}
