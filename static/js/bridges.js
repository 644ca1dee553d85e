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
    .flatMap((selector) => Array.from(document.querySelectorAll(selector)))
    .filter((field) => field.value)
    .map((field) => field.value)
    .join("\n\n");
  navigator.clipboard.writeText(text).catch(() => {});
});

// After logging a message for the mail app, open it there at once.
document.addEventListener("DOMContentLoaded", () => {
  const link = document.querySelector("a[data-auto-open]");
  if (link) window.location.href = link.href;
});

// A form that sends or logs something is submitted once: a double click must not send twice.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-submit-once]")) return;
  // Disabled after the browser has read the clicked button's name and value.
  setTimeout(() => form.querySelectorAll("button[type=submit]").forEach((b) => (b.disabled = true)));
});

// Sent to log in on the way to a page opened with data in its fragment (the job posting
// bookmarklet's): the fragment never reaches the server, so keep it in this tab for that page.
document.addEventListener("DOMContentLoaded", () => {
  const next = document.querySelector('form input[type="hidden"][name="next"]');
  if (!next || location.hash.length < 2) return;
  const kept = { path: next.value.split(/[?#]/)[0], hash: location.hash };
  try {
    sessionStorage.setItem("bridges:fragment", JSON.stringify(kept));
  } catch {
    // Storage refused (private browsing): the user pastes the link instead.
  }
});

// A field that matters only for one choice of another (data-shown-when="field=value"), such
// as the digest hour beside the reminder mode: hidden while another choice is made.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-shown-when]").forEach((field) => {
    const [name, value] = field.dataset.shownWhen.split("=");
    const chooser = field.form && field.form.elements.namedItem(name);
    if (!chooser) return;
    const wrapper = document.getElementById(`div_${field.id}`) || field.parentElement;
    const update = () => {
      wrapper.hidden = chooser.value !== value;
    };
    chooser.addEventListener("change", update);
    update();
  });
});

// “Copy” beside an address (data-copy-target="the field's id"): onto the clipboard, or, where
// the browser refuses, the address is selected for the user to copy themselves.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy-target]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field) return;
  const status = document.getElementById(button.getAttribute("aria-describedby"));
  const say = (text) => {
    if (status) status.textContent = text;
  };
  const select = () => {
    field.focus();
    field.select();
    say("Selected: press Ctrl+C (⌘C on a Mac) to copy it.");
  };
  if (!navigator.clipboard || !window.isSecureContext) {
    select();
    return;
  }
  navigator.clipboard.writeText(field.value).then(() => say("Copied."), select);
});
