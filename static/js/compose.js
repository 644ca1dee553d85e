// The compose page: fields shown for the kinds that take them, and the user's edits kept.
// The page works without this script; it only spares the user surprises.
document.addEventListener("DOMContentLoaded", () => {
  const choose = document.querySelector("form[data-refill]");
  const draft = document.getElementById("draft");
  if (!choose || !draft) return;

  // A reason for a decline only, times for a later interview, a start date for an acceptance.
  const kind = choose.querySelector("[name=kind]");
  const showFor = () => {
    choose.querySelectorAll("[data-for-kinds]").forEach((row) => {
      row.hidden = !row.dataset.forKinds.split(" ").includes(kind.value);
    });
  };
  if (kind) kind.addEventListener("change", showFor);

  // Filling the message in again replaces the draft: ask first if the user has edited it,
  // and keep the edited text so it can be put back on the new page.
  const fields = ["subject", "body"].map((name) => draft.querySelector(`[name=${name}]`));
  const key = `bridges:edited:${location.pathname}`;
  const edited = () => fields.some((field) => field && field.value !== field.defaultValue);
  choose.addEventListener("submit", (event) => {
    if (!edited()) return;
    const replace = window.confirm(
      "You have edited this message. Fill in a new draft anyway? Your edited text is kept, " +
        "and you can put it back on the next page.",
    );
    if (!replace) {
      event.preventDefault();
      return;
    }
    try {
      sessionStorage.setItem(key, JSON.stringify(fields.map((field) => field && field.value)));
    } catch {
      // Storage refused (private browsing): the question above was the safeguard.
    }
  });

  let kept = null;
  try {
    kept = JSON.parse(sessionStorage.getItem(key) || "null");
    sessionStorage.removeItem(key);
  } catch {
    kept = null;
  }
  const notice = document.getElementById("kept-edit");
  if (!kept || !notice) return;
  notice.textContent = "This is a new draft for your new choices. ";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-sm btn-outline-primary";
  button.textContent = "Put back my edited text";
  button.addEventListener("click", () => {
    fields.forEach((field, index) => {
      if (field && typeof kept[index] === "string") field.value = kept[index];
    });
    fields[1]?.dispatchEvent(new Event("input", { bubbles: true }));  // re-run the check
    notice.classList.add("d-none");
  });
  notice.append(button);
  notice.classList.remove("d-none");
});
