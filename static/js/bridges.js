// Bridges: small progressive enhancements. Every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // On a fresh sign-up form, preselect the browser's own time zone.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("select[data-browser-time-zone]").forEach((select) => {
    if (zone && Array.from(select.options).some((option) => option.value === zone)) {
      select.value = zone;
    }
  });
});

// “Copy”: put the subject and message on the clipboard, then let the form log it.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-from]");
  if (!button || !navigator.clipboard) return;
  const text = button.dataset.copyFrom
    .split(",")
    .map((selector) => document.querySelector(selector))
    .filter((field) => field && field.value)
    .map((field) => field.value)
    .join("\n\n");
  navigator.clipboard.writeText(text).catch(() => {});
});

// After logging a message for the mail app, open it there at once.
document.addEventListener("DOMContentLoaded", () => {
  const link = document.querySelector("a[data-auto-open]");
  if (link) window.location.href = link.href;
});
