// A static single-page app: the C++ server serves the prerendered shell and the
// browser does all rendering.
export const prerender = true;
export const ssr = false;
