import type { Page } from 'playwright-core';

export interface ContrastFinding {
  text: string;
  ratio: number;
}

/**
 * WCAG contrast of every visible text element of the page against the
 * first opaque background behind it. Returns those under `minimum`
 * (4.5:1 is WCAG AA for body text).
 */
export function findLowContrast(page: Page, minimum = 4.5): Promise<ContrastFinding[]> {
  return page.evaluate((min) => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba => {
      const n = css.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0, n[3] ?? 1];
    };
    const luminance = ([r, g, b]: Rgba) => {
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    // This runs in the page; the test's own types know no DOM, so name what is used.
    interface El {
      parentElement: El | null;
      childNodes: Iterable<{ nodeType: number; textContent: string | null }>;
      textContent: string | null;
      getBoundingClientRect(): { width: number };
    }
    const view = globalThis as unknown as {
      document: { body: { querySelectorAll(s: string): Iterable<El> } };
      getComputedStyle(e: El): { color: string; backgroundColor: string; visibility: string };
    };
    const backgroundOf = (el: El | null): Rgba => {
      for (let e = el; e; e = e.parentElement) {
        const bg = parse(view.getComputedStyle(e).backgroundColor);
        if (bg[3] >= 1) return bg;
      }
      return [255, 255, 255, 1];
    };
    const findings: { text: string; ratio: number }[] = [];
    for (const el of view.document.body.querySelectorAll('*')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim() !== '');
      const box = el.getBoundingClientRect();
      if (!own || box.width === 0 || view.getComputedStyle(el).visibility === 'hidden') continue;
      const fg = luminance(parse(view.getComputedStyle(el).color));
      const bg = luminance(backgroundOf(el));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      if (ratio < min) findings.push({ text: el.textContent!.trim().slice(0, 40), ratio });
    }
    return findings;
  }, minimum);
}
