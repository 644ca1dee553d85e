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
