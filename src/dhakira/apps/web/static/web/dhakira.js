// Idle lock: after the configured time without input, remove the page content from the
// DOM (not just hide it), show the lock screen, and end the session on the server.
(function () {
  "use strict";
  var seconds = parseInt(document.body.dataset.idleLock || "0", 10);
  var logout = document.getElementById("logout");
  if (!seconds || !logout) { return; }
  var timer;
  function lock() {
    var main = document.getElementById("main");
    if (main) { main.replaceChildren(); }
    document.title = "Dhakira";
    document.getElementById("idle-lock").hidden = false;
    var form = logout.form;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
  }
  function reset() { clearTimeout(timer); timer = setTimeout(lock, seconds * 1000); }
  ["mousemove", "keydown", "pointerdown", "scroll", "touchstart"].forEach(function (e) {
    window.addEventListener(e, reset, { passive: true });
  });
  reset();
})();

// Graphic material stays blurred until clicked: one listener for the whole page, so that
// it also covers material added after load and pages without the idle lock. The first
// click only unblurs (a link under the blur is not followed until the second).
document.addEventListener("click", function (event) {
  var el = event.target.closest && event.target.closest(".graphic");
  if (el) { event.preventDefault(); el.classList.remove("graphic"); }
}, true);

// A search for a name travels in the query string; keep it out of the browser's history by
// replacing this page's entry with its bare path once it has loaded.
if (window.location.search && /[?&]q=/.test(window.location.search)) {
  window.history.replaceState(null, "", window.location.pathname);
}

// On a phone, tables become stacked cards (see the stylesheet); each cell carries its column's
// heading so the card still says what each value is. Done once, on load, for every table.
document.querySelectorAll("table").forEach(function (table) {
  var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
    return th.textContent.trim();
  });
  if (!heads.length) { return; }
  table.classList.add("cards");
  table.querySelectorAll("tbody tr").forEach(function (tr) {
    Array.prototype.forEach.call(tr.children, function (cell, i) {
      if (heads[i] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", heads[i]); }
    });
  });
});
