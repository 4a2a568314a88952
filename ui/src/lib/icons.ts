// The app's icons: simple line drawings on a 16px grid, each a list of SVG paths stroked at
// 1.5px in the current text colour (drawn by Icon.svelte).

/** A circle as a path, so every drawing is paths only. */
const circle = (cx: number, cy: number, r: number) => `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

export const icons = {
  gauge: ['M2.5 12a5.5 5.5 0 1 1 11 0', 'M8 12l2.75-3.75', 'M2.5 14.25h11'],
  building: ['M3 14.5V2h7v12.5', 'M10 6h3v8.5', 'M1.5 14.5h13', 'M5.5 5h2', 'M5.5 8h2', 'M5.5 11h2'],
  shield: ['M8 1.75l5 2v4c0 3.2-2.1 5.4-5 6.5-2.9-1.1-5-3.3-5-6.5v-4z'],
  document: ['M4 1.75h5.5l3 3v9.5H4z', 'M9.5 1.75v3h3', 'M6 8h4.5', 'M6 10.75h4.5'],
  warning: ['M8 2l6.5 11.5h-13z', 'M8 6.5v3', 'M8 11.75h.01'],
  truck: ['M1.5 3.5H10V11H1.5z', 'M10 6h2.75l1.75 2.25V11H10', circle(4.5, 12.25, 1.25), circle(11.75, 12.25, 1.25)],
  server: ['M2 2.5h12V7H2z', 'M2 9h12v4.5H2z', 'M4.5 4.75h.01', 'M4.5 11.25h.01'],
  key: [circle(5, 11, 3), 'M7.25 8.75L13.5 2.5', 'M11.5 4.5L13 6', 'M9.75 6.25L11 7.5'],
  cap: ['M1 6l7-3.5L15 6 8 9.5z', 'M4 7.5V11c1 1 2.5 1.5 4 1.5s3-.5 4-1.5V7.5', 'M15 6v4'],
  door: ['M3 14.5V1.5h8v13', 'M1.5 14.5h13', 'M8.5 8h.01'],
  branch: [circle(4.5, 3.5, 1.5), circle(4.5, 12.5, 1.5), circle(11.5, 5, 1.5), 'M4.5 5v6', 'M11.5 6.5c0 3-7 2-7 4.5'],
  archive: ['M1.75 2.5h12.5v3H1.75z', 'M2.75 5.5v8h10.5v-8', 'M6.5 8.5h3'],
  siren: ['M4 12.5V9a4 4 0 0 1 8 0v3.5', 'M2.5 12.5h11v2h-11z', 'M8 1.5V3', 'M2.5 4l1 1', 'M13.5 4l-1 1'],
  tabletop: [circle(5, 3.5, 1.5), circle(11, 3.5, 1.5), 'M1.5 7.5h13', 'M3.5 7.5v6', 'M12.5 7.5v6'],
  check: ['M2.5 2.5h11v11h-11z', 'M5 8.25l2 2 4-4.25'],
  inbox: ['M1.5 9l2-6.5h9l2 6.5v4.5h-13z', 'M1.5 9h4l1 2h3l1-2h4'],
  users: [circle(6, 5, 2.5), 'M1.5 14c0-2.5 2-4.5 4.5-4.5s4.5 2 4.5 4.5', 'M11 2.75a2.25 2.25 0 0 1 0 4.5', 'M12.5 9.75c1.25.5 2 2 2 4.25'],
  gear: [circle(8, 8, 2.25), 'M8 1.5v2', 'M8 12.5v2', 'M1.5 8h2', 'M12.5 8h2', 'M3.4 3.4l1.4 1.4', 'M11.2 11.2l1.4 1.4', 'M3.4 12.6l1.4-1.4', 'M11.2 4.8l1.4-1.4'],
  book: ['M2 2.5h4.5C7.3 2.5 8 3.2 8 4v10c0-.8-.7-1.5-1.5-1.5H2z', 'M14 2.5H9.5C8.7 2.5 8 3.2 8 4v10c0-.8.7-1.5 1.5-1.5H14z'],
} satisfies Record<string, string[]>;

export type IconName = keyof typeof icons;
