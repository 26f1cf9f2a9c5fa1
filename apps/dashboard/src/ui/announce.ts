/** Polite announcements for screen readers and a visible toast ("Saved", "Job queued"). */
let region: HTMLElement | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;

export function announce(text: string): void {
  if (!region) {
    region = document.createElement('div');
    region.className = 'toast';
    region.setAttribute('role', 'status');
    region.setAttribute('aria-live', 'polite');
    document.body.append(region);
  }
  region.textContent = text;
  region.classList.add('show');
  clearTimeout(timer);
  timer = setTimeout(() => region?.classList.remove('show'), 4000);
}
