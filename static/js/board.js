// The board's drag and drop: dropping a card in another column posts the move through htmx,
// and the server answers with the whole board redrawn (or a 409 and the reason it refused).
(function () {
  function bind(content) {
    // htmx.onLoad calls this for the page and again for every board htmx swaps in.
    const board = content.id === "board" ? content : content.querySelector("#board");
    if (!board || typeof Sortable === "undefined") return;
    board.querySelectorAll(".board-cards").forEach((list) => {
      Sortable.create(list, {
        group: "board",
        animation: 150,
        forceFallback: true, // pointer events instead of native drag and drop: same on mouse and touch
        filter: "select, button, input",
        preventOnFilter: false,
        onEnd(event) {
          if (event.from === event.to) return;
          const card = event.item;
          htmx.ajax("POST", card.dataset.moveUrl, {
            target: "#board",
            swap: "outerHTML",
            values: { stage: event.to.dataset.stage },
          });
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => htmx.onLoad(bind));
  document.addEventListener("htmx:responseError", (event) => {
    const error = document.getElementById("board-error");
    if (!error) return;
    error.textContent = event.detail.xhr.responseText || "That move did not work.";
    error.classList.remove("d-none");
    // Put the card back where the server says it is.
    htmx.ajax("GET", document.getElementById("board").dataset.boardUrl, {
      target: "#board",
      select: "#board",
      swap: "outerHTML",
    });
  });
  document.addEventListener("htmx:beforeRequest", (event) => {
    // A new move clears the last refusal; the reload that follows a refusal keeps it.
    const error = document.getElementById("board-error");
    if (error && event.detail.requestConfig.verb === "post") error.classList.add("d-none");
  });
})();
