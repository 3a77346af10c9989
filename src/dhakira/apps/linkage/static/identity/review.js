// The review page's keyboard shortcuts: S same person, D different people, U unsure, N or the
// arrow pointing forward (right in English, left in Arabic) skips to the next pair.
// Physical keys (event.code) first, so that the shortcuts work with an Arabic layout too;
// the letters those keys type there (س ي ع ى) are accepted as well. Keys do nothing while
// the reader types a reason or uses a form field.
(function () {
  "use strict";
  var form = document.getElementById("decide");
  var skip = document.getElementById("skip");
  if (!form && !skip) { return; }
  var forward = document.documentElement.dir === "rtl" ? "ArrowLeft" : "ArrowRight";
  var byCode = { KeyS: "accepted", KeyD: "rejected", KeyU: "unsure" };
  var byKey = { s: "accepted", "س": "accepted", d: "rejected", "ي": "rejected",
                u: "unsure", "ع": "unsure" };
  var sent = false;
  document.addEventListener("keydown", function (event) {
    if (sent || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    var key = (event.key || "").toLowerCase();
    if (skip && (event.code === "KeyN" || key === "n" || key === "ى" || event.key === forward)) {
      event.preventDefault();
      sent = true;
      window.location.assign(skip.href);
      return;
    }
    var status = byCode[event.code] || byKey[key];
    var button = status && form && form.querySelector("button[name=status][value=" + status + "]");
    if (!button) { return; }
    event.preventDefault();
    sent = true;
    button.classList.add("pressed");
    form.requestSubmit(button);
  });
})();
