// The board: drag a card to another column, or open its "Move…" menu (one menu for the whole
// board, driven from the keyboard too). Either way the move is posted through htmx and the
// server answers with the card redrawn and the column counts (or a 409 and the reason it
// refused, after which the board is fetched again). Without JavaScript, "Move…" is a link to
// the move page.
(function () {
  function board() {
    return document.getElementById("board");
  }

  function post(card, from, to) {
    const root = board();
    htmx.ajax("POST", root.dataset.applicationsUrl + card.dataset.id + "/move/", {
      target: card,
      swap: "outerHTML",
      // The stage the card was in: the server refuses the move if it is no longer there.
      values: { stage: to, from: from },
    });
  }

  function bind(content) {
    // htmx.onLoad calls this for the page and again for whatever htmx swaps in.
    const root = content.id === "board" ? content : content.querySelector("#board");
    if (!root || typeof Sortable === "undefined") return;
    root.querySelectorAll(".board-cards").forEach((list) => {
      Sortable.create(list, {
        group: "board",
        animation: 150,
        forceFallback: true, // pointer events instead of native drag and drop: same on mouse and touch
        filter: ".board-move, button, input",
        preventOnFilter: false,
        onEnd(event) {
          if (event.from === event.to) return;
          post(event.item, event.from.dataset.stage, event.to.dataset.stage);
        },
      });
    });
  }

  // --- The one "Move to…" menu (static/js/menu.js) ------------------------------------------
  window.Bridges.menu({
    menu: "move-menu",
    opener: "#board .board-move",
    prepare(menu, link) {
      // Only the stages a card of this column can move to.
      const allowed = new Set(link.closest(".board-cards").dataset.targets.split(" "));
      menu.querySelectorAll("[role=menuitem]").forEach((item) => {
        item.hidden = !allowed.has(item.dataset.stage);
      });
    },
    choose(item, link) {
      const card = link.closest(".board-card");
      const from = card.closest(".board-cards").dataset.stage;
      const to = item.dataset.stage;
      if (item.dataset.needsPage) {
        // An ending asks why (and an acceptance leads to the close-out): the move page does.
        window.location.href =
          link.href + "&stage=" + encodeURIComponent(to) + "&from=" + encodeURIComponent(from);
        return;
      }
      const column = board().querySelector('.board-cards[data-stage="' + to + '"]');
      column.prepend(card);
      post(card, from, to);
    },
  });

  document.addEventListener("DOMContentLoaded", () => htmx.onLoad(bind));
  document.addEventListener("htmx:responseError", (event) => {
    const error = document.getElementById("board-error");
    if (!error) return;
    error.textContent = event.detail.xhr.responseText || "That move did not work.";
    error.classList.remove("d-none");
    // Put the card back where the server says it is.
    htmx.ajax("GET", board().dataset.boardUrl, { target: "#board", select: "#board", swap: "outerHTML" });
  });
  document.addEventListener("htmx:beforeRequest", (event) => {
    // A new move clears the last refusal; the reload that follows a refusal keeps it.
    const error = document.getElementById("board-error");
    if (error && event.detail.requestConfig.verb === "post") error.classList.add("d-none");
  });
})();
