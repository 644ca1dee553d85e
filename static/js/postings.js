// Adding from a job posting: what the bookmarklet sent, and the bookmarklet's own button.

// The bookmarklet opens this page with the posting's address (and its JSON-LD) in the
// fragment, which never leaves the browser: fill the form from it and read at once.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-posting-read]");
  if (!form) return;
  const sent = new URLSearchParams(sentFragment().slice(1));
  const url = sent.get("url");
  if (!url) return;
  // Out of the address bar and the history: a reload must not read it again.
  history.replaceState(null, "", location.pathname + location.search);
  form.elements.url.value = url;
  form.elements.jsonld.value = sent.get("jsonld") || "";
  form.requestSubmit();
});

// The fragment this page was opened with, or the one kept for it while the user logged in
// on the way here (bridges.js).
function sentFragment() {
  let kept = null;
  try {
    kept = JSON.parse(sessionStorage.getItem("bridges:fragment") || "null");
    sessionStorage.removeItem("bridges:fragment");
  } catch {
    kept = null;
  }
  if (location.hash.length > 1) return location.hash;
  return kept && kept.path === location.pathname ? kept.hash : "";
}

// Clicked on Bridges itself, the bookmarklet has nothing to read: say where it belongs.
document.addEventListener("click", (event) => {
  const button = event.target.closest("a[data-bookmarklet]");
  if (!button) return;
  event.preventDefault();
  document.querySelectorAll("[data-bookmarklet-hint]").forEach((hint) => hint.classList.remove("d-none"));
});
