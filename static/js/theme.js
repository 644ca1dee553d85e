// Bootstrap's colour mode follows the system's: dark when the system asks for it, and it
// changes with it. Loaded in the head, before the page is drawn, so it never flashes light.
(function () {
  "use strict";
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  function apply() {
    document.documentElement.setAttribute("data-bs-theme", dark.matches ? "dark" : "light");
  }
  apply();
  if (dark.addEventListener) {
    dark.addEventListener("change", apply);
  }
})();
