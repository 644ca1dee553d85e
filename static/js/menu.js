// One menu for many openers: the board's "Move…" links share one "Move to…" menu, the owed
// items' "Snooze…" links one "Snooze for" menu. Each opener is a link that works without
// JavaScript (it opens a page with the same choices); with it, the link opens the page's one
// menu just below itself, and the menu is driven from the keyboard as from the pointer:
// arrows, Home and End move, Enter or a click chooses, Escape closes and goes back to the link,
// Tab closes and moves on from the link.
//
// Bridges.menu({ menu, opener, prepare, choose }): `menu` is the menu's id (its items carry
// role=menuitem), `opener` the selector of the links that open it. `prepare(menu, link)` runs
// before it opens (to hide the items that do not apply, say); `choose(item, link)`, if given,
// runs on a choice after the menu closes. Without `choose` the item does what it does itself
// (a submit button in the menu's form posts it).
window.Bridges = window.Bridges || {};
window.Bridges.menu = function ({ menu: menuId, opener: openerSelector, prepare, choose }) {
  let opener = null;

  const element = () => document.getElementById(menuId);
  const items = (menu) =>
    Array.from(menu.querySelectorAll("[role=menuitem]")).filter((item) => !item.hidden);

  function close(returnFocus) {
    const menu = element();
    if (!menu || menu.hidden) return;
    menu.hidden = true;
    menu.classList.remove("show");
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      if (returnFocus) opener.focus();
    }
    opener = null;
  }

  function open(link) {
    const menu = element();
    if (prepare) prepare(menu, link);
    opener = link;
    link.setAttribute("aria-expanded", "true");
    menu.hidden = false;
    menu.classList.add("show");
    // Below the link, kept inside the width of what holds the menu (a phone's screen too).
    const within = (menu.offsetParent || document.body).getBoundingClientRect();
    const at = link.getBoundingClientRect();
    const left = Math.min(at.left - within.left, within.width - menu.offsetWidth);
    menu.style.setProperty("--menu-left", Math.max(0, left) + "px");
    menu.style.setProperty("--menu-top", at.bottom - within.top + 4 + "px");
    const first = items(menu)[0];
    if (first) first.focus({ preventScroll: true });
    // All of it in sight, even opened from the last link at the bottom of a phone's screen.
    menu.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest(openerSelector);
    if (link) {
      event.preventDefault();
      if (opener === link) close(true);
      else {
        close(false);
        open(link);
      }
      return;
    }
    const item = event.target.closest("#" + menuId + " [role=menuitem]");
    if (item && choose) {
      const from = opener;
      close(false);
      if (from) choose(item, from);
    } else if (!item) close(false);
  });

  document.addEventListener("keydown", (event) => {
    const menu = element();
    if (!menu || menu.hidden) return;
    const all = items(menu);
    const at = all.indexOf(document.activeElement);
    const go = (n) => all[(n + all.length) % all.length].focus();
    if (event.key === "ArrowDown") go(at + 1);
    else if (event.key === "ArrowUp") go(at - 1);
    else if (event.key === "Home") go(0);
    else if (event.key === "End") go(all.length - 1);
    else if (event.key === "Escape") close(true);
    else if (event.key === "Tab") close(true); // and on from the link, as if never opened
    else return;
    if (event.key !== "Tab") event.preventDefault();
  });
};
