// Small behaviours wired by data attributes, because the Content-Security-Policy allows no
// inline event handlers (onclick=…).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-triad-print]")) {
    window.print();
  }
  var field = event.target.closest("[data-triad-select]");
  if (field) {
    field.select();
  }
});
