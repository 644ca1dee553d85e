// Adding from a job posting: what the bookmarklet sent, and the bookmarklet's own button.

// The bookmarklet opens this page with the posting's address (and its JSON-LD) in the
// fragment, which never leaves the browser: fill the form from it and read at once.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-posting-read]");
  if (!form || location.hash.length < 2) return;
  const sent = new URLSearchParams(location.hash.slice(1));
  const url = sent.get("url");
  if (!url) return;
  // Out of the address bar and the history: a reload must not read it again.
  history.replaceState(null, "", location.pathname + location.search);
  form.elements.url.value = url;
  form.elements.jsonld.value = sent.get("jsonld") || "";
  form.requestSubmit();
});

// Clicked on Bridges itself, the bookmarklet has nothing to read: say where it belongs.
document.addEventListener("click", (event) => {
  const button = event.target.closest("a[data-bookmarklet]");
  if (!button) return;
  event.preventDefault();
  document.querySelectorAll("[data-bookmarklet-hint]").forEach((hint) => hint.classList.remove("d-none"));
});
