// Must run before prismjs loads: stops Prism from highlighting every
// `code.language-*` element of the page on its own (it would rewrite DOM
// that React owns). We call it explicitly instead.
const scope = globalThis as unknown as { Prism?: { manual?: boolean } };
scope.Prism = { ...scope.Prism, manual: true };

export {};
