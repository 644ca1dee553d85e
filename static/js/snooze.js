// The owed items' "Snooze…" links (the follow-ups page, an application's page) share the
// page's one "Snooze for" menu (static/js/menu.js). The menu is a form: choosing a period posts
// it to the chosen item's snooze address, and the server comes back where the link says.
// Without JavaScript each link opens the snooze page, which offers the same periods.
window.Bridges.menu({
  menu: "snooze-menu",
  opener: "a.snooze-link",
  prepare(menu, link) {
    const address = new URL(link.href);
    menu.action = address.pathname;
    menu.elements.next.value = address.searchParams.get("next") || "";
  },
});
