// Names for two things Material renders without one, which screen readers would
// announce only as "dialog" and "link": the search dialog and the numbered code
// annotation markers (their number is drawn by CSS, which assistive tech ignores).
document$.subscribe(() => {
  document.querySelector(".md-search[role=dialog]")?.setAttribute("aria-label", "Search");
  for (const marker of document.querySelectorAll("a.md-annotation__index")) {
    const number = marker.querySelector("[data-md-annotation-id]")?.dataset.mdAnnotationId;
    marker.setAttribute("aria-label", `Annotation ${number}`);
  }
});
