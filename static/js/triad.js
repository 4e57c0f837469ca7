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

// Tables, whichever page: each cell learns its column's name (data-label), which the small
// screen layout shows beside the value (static/css/triad.css); and a table that scrolls
// sideways is a named region a keyboard can reach (tabindex="0"), so its hidden columns can
// be scrolled into view without a mouse. Run on load and on every htmx swap.
(function () {
  function label(region) {
    var caption = region.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    for (var el = region.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return el.textContent.trim();
    }
    var section = region.closest("section, article");
    var heading = section && section.querySelector("h1, h2, h3, h4, h5, h6");
    return heading ? heading.textContent.trim() : document.title;
  }

  function prepare(root) {
    root.querySelectorAll(".table-responsive > table").forEach(function (table) {
      var names = [];
      table.querySelectorAll(":scope > thead > tr:last-child > *").forEach(function (th) {
        var span = parseInt(th.getAttribute("colspan") || "1", 10);
        for (var i = 0; i < span; i++) names.push(th.textContent.trim());
      });
      table.querySelectorAll(":scope > tbody > tr").forEach(function (row) {
        var index = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          var name = names[index];
          // A cell across several columns (an empty list's message) has no one name.
          if (name && cell.colSpan === 1 && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", name);
          }
          index += parseInt(cell.getAttribute("colspan") || "1", 10);
        });
      });
    });
    reachable(root);
  }

  function reachable(root) {
    root.querySelectorAll(".table-responsive").forEach(function (region) {
      var scrolls = region.scrollWidth > region.clientWidth + 1;
      if (scrolls && !region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
        if (!region.hasAttribute("aria-label") && !region.hasAttribute("aria-labelledby")) {
          region.setAttribute("aria-label", label(region));
        }
        region.dataset.triadScrolls = "1";
      } else if (!scrolls && region.dataset.triadScrolls) {
        region.removeAttribute("tabindex");
        region.removeAttribute("role");
        region.removeAttribute("aria-label");
        delete region.dataset.triadScrolls;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { prepare(document); });
  document.addEventListener("htmx:afterSettle", function () { prepare(document); });
  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { reachable(document); }, 100);
  });
})();
