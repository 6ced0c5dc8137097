// The app window's smallest size, in CSS pixels at 100% zoom. The layout is
// checked at this size (test/e2e/a11y-visual.test.ts): no control clipped,
// overlapping or behind a horizontal scroll bar.
export const WINDOW_MIN = { width: 720, height: 520 } as const;
